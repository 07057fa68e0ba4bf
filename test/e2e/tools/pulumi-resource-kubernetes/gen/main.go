// Command gen writes schema-embed.json and terraform-mapping-embed.json into
// the current directory from the schema.json and terraform-mapping.json that
// the provider/v4 module ships, as the provider's own generate.go does.
//
// Usage: go run ./gen VERSION
package main

import (
	"encoding/json"
	"log"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const providerModule = "github.com/pulumi/pulumi-kubernetes/provider/v4"

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: gen VERSION")
	}
	// go mod download, unlike go list -m, fetches the module's files when the
	// build list so far needed only its go.mod.
	out, err := exec.Command("go", "mod", "download", "-json", providerModule).Output()
	if err != nil {
		log.Fatalf("go mod download %s: %v", providerModule, err)
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		log.Fatalf("go mod download %s: no directory (%v) %s", providerModule, err, mod.Error)
	}
	dir := filepath.Join(mod.Dir, "cmd", "pulumi-resource-kubernetes")

	raw, err := os.ReadFile(filepath.Join(dir, "schema.json"))
	if err != nil {
		log.Fatal(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		log.Fatalf("cannot deserialize schema: %v", err)
	}
	spec.Version = os.Args[1]
	raw, err = json.Marshal(spec)
	if err != nil {
		log.Fatalf("cannot reserialize schema: %v", err)
	}
	if err := os.WriteFile("schema-embed.json", raw, 0o600); err != nil {
		log.Fatal(err)
	}

	raw, err = os.ReadFile(filepath.Join(dir, "terraform-mapping.json"))
	if err != nil {
		log.Fatal(err)
	}
	var mapping any
	if err := json.Unmarshal(raw, &mapping); err != nil {
		log.Fatalf("cannot deserialize terraform mapping: %v", err)
	}
	raw, err = json.Marshal(mapping)
	if err != nil {
		log.Fatalf("cannot reserialize terraform mapping: %v", err)
	}
	if err := os.WriteFile("terraform-mapping-embed.json", raw, 0o600); err != nil {
		log.Fatal(err)
	}
}
