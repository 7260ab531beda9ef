// Command kunskapsnav runs Kunskapsnav: the web server, database migrations and
// user administration. Run "kunskapsnav --help" for the commands.
package main

import (
	"os"

	"github.com/kunskapsnav/kunskapsnav/internal/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:]))
}
