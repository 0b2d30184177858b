// Command gen writes frontend/src/api/generated.ts from the Go services.
// Run it from the repository root after changing a bound type or method.
package main

import (
	"fmt"
	"os"

	"github.com/fuzhi/eventdesk/app"
	"github.com/fuzhi/eventdesk/internal/contract"
)

func main() {
	a := app.New(app.Options{DataDir: os.TempDir()})
	src := contract.Generate(a.All(), app.UIEvents, contract.WireTypes...)
	if err := os.WriteFile(contract.Path, []byte(src), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "write the frontend contract:", err)
		os.Exit(1)
	}
}
