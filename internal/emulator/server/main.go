// Command emulator serves the MetaHuman SDK API EMULATOR (not the real API)
// for offline demos and out-of-process tests. Control it over HTTP:
//
//	POST /emulator/fault?mode=slow[&count=1]   (no count = sticky)
//	GET  /emulator/requests
//	POST /emulator/reset
//	POST /emulator/authfail   (form body token=T: checks of T fail authorization)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"tokendesk/internal/emulator"
)

func main() {
	defaultAddr := "127.0.0.1:8080"
	if env := os.Getenv("EMULATOR_ADDR"); env != "" {
		defaultAddr = env
	}
	addr := flag.String("addr", defaultAddr, "listen address (env EMULATOR_ADDR)")
	slow := flag.Duration("slow", emulator.DefaultSlowDelay, "delay of the slow fault")
	failRate := flag.Float64("fail-rate", 0, "fraction of token requests answered 503")
	slowRate := flag.Float64("slow-rate", 0, "fraction of token requests answered slowly")
	seed := flag.Uint64("seed", 1, "seed for the random faults")
	faultName := flag.String("fault", "none", fmt.Sprintf("initial sticky fault, one of %v", emulator.Faults))
	flag.Parse()

	logger := log.New(os.Stderr, "emulator: ", log.LstdFlags|log.Lmicroseconds)
	fault, err := emulator.ParseFault(*faultName)
	if err != nil {
		logger.Fatal(err)
	}
	if *failRate < 0 || *slowRate < 0 || *failRate+*slowRate > 1 {
		logger.Fatal("-fail-rate and -slow-rate must be >= 0 and sum to at most 1")
	}

	emu := emulator.New(emulator.Options{
		Fault:     fault,
		SlowDelay: *slow,
		FailRate:  *failRate,
		SlowRate:  *slowRate,
		Seed:      *seed,
		Logger:    logger,
	})

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatal(err)
	}
	logger.Printf("*** %s ***", emulator.Banner)
	logger.Printf("listening on http://%s (POST %s, %s, %s; controls under /emulator/); fault=%s fail-rate=%g slow-rate=%g slow=%s",
		listener.Addr(), emulator.TokenPath, emulator.CheckPath, emulator.CheckPathAlt, fault, *failRate, *slowRate, *slow)

	server := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		server.Shutdown(shutdownCtx)
	}()
	if err := server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Fatal(err)
	}
	logger.Print("stopped")
}
