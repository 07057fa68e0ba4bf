// Command etcd is etcd v3.5.x built from the go.etcd.io/etcd/server/v3 module;
// it does what the module's own main.go does.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
