package fixture

import (
	"fmt"
	"net/http"
	"strconv"
)

type Item struct {
	Name  string
	Price int
}

// café 🚀
func csvLine(items []Item) string {
	line := ""
	for _, it := range items {
		line += it.Name + "," // want "line grows by concatenation in a loop" @"line += it.Name + \",\""
	}
	return line
}

func joinIDs(ids []int) string {
	var out string
	for i, id := range ids {
		if i > 0 {
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out 
			out += "," // want "out grows by concatenation"
		}
		out += strconv.Itoa(id) // ok: same variable and loop, reported once at the first append
	}
	return "[" + out + "]"
}

func header(names []string) string {
	s := "names:"
	for _, n := range names {
		s = s + " " + n // want "s grows by concatenation"
	}
	return s
}

func report(items []Item) string {
	body := fmt.Sprintf("%d items", len(items))
	for _, it := range items {
		body = fmt.Sprintf("%s\n%s: %d", body, it.Name, it.Price) // want "body grows by concatenation"
	}
	return body
}

func nested(rows [][]string) string {
	var table string
	for _, row := range rows {
		for _, cell := range row {
			table += cell + "\t" // want "table grows by concatenation"
		}
		table += "\n"
	}
	return table
}

func search(w http.ResponseWriter, r *http.Request) {
	where := "WHERE 1=1Query()["tag"] {
		where += " AND tag = '" + tag + "'" // want "where grows by concatenation"
	}
	_, _ = w.Write([]byte(where))
}

func withProgress(parts []string) string {
	acc := ""
	for _, p := range parts {
		acc += p // want "acc grows by concatenation in a loop \(O\(n²\) copying\); no fix: the loop also reads it"
		if len(acc) > 1024 {
			break
		}
	}
	return acc
}

func captured(parts []string) func() string {
	msg := ""
	for _, p := range parts {
		msg += p // want "no fix: a closure captures it"
	}
	return func() string { return msg }
}

func param(prefix string, parts []string) string {
	for _, p := range parts {
		prefix += p // want "no fix: it is a parameter"
	}
	return prefix
}

var logLine string

func appendLog(entries []string) {
	for _, e := range entries {
		logLine += e // want "no fix: it is a package variable"
	}
}

type Doc struct{ text string }

func (d *Doc) add(words []string) {
	for _, w := range words {
		d.text += w // want "no fix: it is a field"
	}
}

func trimmed(parts []string) string {
	s := ""
	for _, p := range parts {
		s += p + "," // want "no fix: it is reassigned after the loop"
	}
	s = s[:len(s)-1]
	return s
}

func whileLoop(next func() (string, bool)) string {
	out := ""
	for {
		v, ok := next()
		if !ok {
			return out
		}
		out += v // want "out grows by concatenation in a loop \(O\(n²\) copying\); no fix: the loop also reads it"
	}
}

func counter(n int) string {
	digits := strconv.Itoa(n)
	for i := 0; i < n; i++ {
		digits += "0" // want "digits grows by concatenation"
	}
	return digits
}

func scan(lines chan string) string {
	text := ""
	for l := range lines {
		text += l // want "text grows by concatenation"
	}
	return text
}
