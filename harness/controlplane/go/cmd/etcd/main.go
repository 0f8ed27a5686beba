// Command etcd is etcd's own main (go.etcd.io/etcd/v3/main.go) built from the server module,
// so that its version is pinned in this module's go.mod next to the Kubernetes release.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
