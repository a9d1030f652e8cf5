// Package require is a stub of github.com/stretchr/testify/require for fixtures: only what they use.
package require

// TestingT is what require needs from *testing.T.
type TestingT interface {
	Errorf(format string, args ...interface{})
	FailNow()
}

// NoError stops the test when err is not nil.
func NoError(t TestingT, err error, msgAndArgs ...interface{}) {}

// Equal stops the test when expected and actual differ.
func Equal(t TestingT, expected, actual interface{}, msgAndArgs ...interface{}) {}
