//go:build !js

package stack

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Pids returns the live processes of the stack: wrangler, and every process
// in its process group or descended from it (workerd and its helpers).
func (s *Stack) Pids() []int {
	if s.Cmd == nil || s.Cmd.Process == nil {
		return nil
	}
	return stackPids(s.Cmd.Process.Pid)
}

// Process is one live process of the stack with its CPU time so far.
type Process struct {
	Pid int
	// Command is the kernel's short name (/proc/<pid>/comm), e.g. "workerd".
	Command string
	// CPU is user+system time from /proc/<pid>/stat (assuming USER_HZ 100).
	CPU time.Duration
}

// Processes returns the live stack processes (see Pids) with their CPU time.
func (s *Stack) Processes() []Process {
	var procs []Process
	for _, pid := range s.Pids() {
		st, err := readProcStat(pid)
		if err != nil {
			continue // exited between listing and reading
		}
		procs = append(procs, Process{Pid: pid, Command: st.comm, CPU: time.Duration(st.utime+st.stime) * time.Second / userHZ})
	}
	return procs
}

// CPUTime sums the CPU time of all live stack processes (wrangler's node
// proxy and workerd). Read it before and after a batch of requests to get
// CPU per request; filter Processes by Command for workerd alone.
func (s *Stack) CPUTime() time.Duration {
	var total time.Duration
	for _, p := range s.Processes() {
		total += p.CPU
	}
	return total
}

// userHZ is the kernel's clock tick for /proc times; 100 on every Linux
// we run on (the stdlib has no sysconf to ask).
const userHZ = 100

type procStat struct {
	pid, ppid, pgrp int
	comm            string
	utime, stime    int64 // clock ticks
}

// readProcStat parses /proc/<pid>/stat. The command name may hold spaces
// and parentheses, so fields are counted from the last ')'.
func readProcStat(pid int) (procStat, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	text := string(data)
	end := strings.LastIndexByte(text, ')')
	if end < 0 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	// After ")": state(3) ppid(4) pgrp(5) ... utime(14) stime(15).
	fields := strings.Fields(text[end+1:])
	if len(fields) < 13 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	if fields[0] == "Z" {
		return procStat{}, fmt.Errorf("/proc/%d: zombie", pid)
	}
	st := procStat{pid: pid}
	if start := strings.IndexByte(text, '('); start >= 0 && start < end {
		st.comm = text[start+1 : end]
	}
	st.ppid, _ = strconv.Atoi(fields[1])
	st.pgrp, _ = strconv.Atoi(fields[2])
	st.utime, _ = strconv.ParseInt(fields[11], 10, 64)
	st.stime, _ = strconv.ParseInt(fields[12], 10, 64)
	return st, nil
}

func allProcStats() []procStat {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var stats []procStat
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := readProcStat(pid); err == nil {
			stats = append(stats, st)
		}
	}
	return stats
}

// stackPids returns leader and the live processes in its group or below it.
func stackPids(leader int) []int {
	stats := allProcStats()
	children := map[int][]int{}
	member := map[int]bool{}
	for _, st := range stats {
		children[st.ppid] = append(children[st.ppid], st.pid)
		if st.pgrp == leader || st.pid == leader {
			member[st.pid] = true
		}
	}
	// Descendants that moved to their own group still count.
	queue := []int{leader}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		for _, child := range children[pid] {
			member[child] = true
			queue = append(queue, child)
		}
	}
	var pids []int
	for _, st := range stats {
		if member[st.pid] {
			pids = append(pids, st.pid)
		}
	}
	return pids
}

func processAlive(pid int) bool {
	_, err := readProcStat(pid)
	return err == nil
}
