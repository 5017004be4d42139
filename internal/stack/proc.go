//go:build !js

package stack

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

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
