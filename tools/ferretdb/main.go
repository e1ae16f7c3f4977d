// Command lexwatch-ferretdb runs FerretDB (SQLite backend) embedded, for tests and for the
// service's embedded default database. It prints one line, "MONGODB_URI=<uri>", once the
// listener is up, and stops cleanly on SIGINT/SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data", "", "directory for the SQLite files (empty: in memory)")
	flag.Parse()

	sqliteURL := "file:./?mode=memory"
	if *dataDir != "" {
		abs, err := filepath.Abs(*dataDir)
		if err != nil {
			fail(err)
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			fail(err)
		}
		sqliteURL = "file:" + abs + "/"
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		fail(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI blocks until the listener is ready, so the printed port is the real one.
	fmt.Printf("MONGODB_URI=%s\n", f.MongoDBURI())

	if err := <-done; err != nil && ctx.Err() == nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "lexwatch-ferretdb:", err)
	os.Exit(1)
}
