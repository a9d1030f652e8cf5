// Package fiber is a stub of github.com/gofiber/fiber/v2 with only what Shipshape's fixtures use.
package fiber

import (
	"context"
	"time"
)

type Map map[string]any

type Handler func(*Ctx) error

type Ctx struct{}

func (c *Ctx) UserContext() context.Context { return context.Background() }
func (c *Ctx) Params(key string) string     { return "" }
func (c *Ctx) Query(key string) string      { return "" }
func (c *Ctx) Body() []byte                 { return nil }
func (c *Ctx) BodyParser(out any) error     { return nil }
func (c *Ctx) JSON(data any) error          { return nil }
func (c *Ctx) SendString(body string) error { return nil }
func (c *Ctx) SendStatus(status int) error  { return nil }
func (c *Ctx) Status(status int) *Ctx       { return c }
func (c *Ctx) Next() error                  { return nil }

type App struct{}

func New(config ...Config) *App               { return &App{} }
func (a *App) Get(path string, h ...Handler)  {}
func (a *App) Post(path string, h ...Handler) {}
func (a *App) Use(args ...any)                {}
func (a *App) Listen(addr string) error       { return nil }

const StatusServiceUnavailable = 503

type Config struct {
	AppName      string
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
}

func (a *App) ListenTLS(addr, certFile, keyFile string) error  { return nil }
func (a *App) Shutdown() error                                 { return nil }
func (a *App) ShutdownWithTimeout(timeout time.Duration) error { return nil }
