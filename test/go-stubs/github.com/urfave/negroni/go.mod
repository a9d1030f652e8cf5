module github.com/urfave/negroni

go 1.21
