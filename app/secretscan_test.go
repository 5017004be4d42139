package app

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// The secret-scanning rules in web/ (the reveal and the README link them)
// find every line of testdata/secretscan/leaks.txt, with the token as the
// secret, and no line of clean.txt; and the GitHub pattern is the gitleaks
// rule in GitHub's three fields.
func TestSecretScanningRules(t *testing.T) {
	var rules struct {
		Rules []struct {
			ID          string
			Regex       string
			SecretGroup int
			Keywords    []string
		}
	}
	if _, err := toml.DecodeFile(".."+GitleaksRulePath, &rules); err != nil {
		t.Fatalf("the gitleaks rule is not TOML: %v", err)
	}
	if len(rules.Rules) != 1 || rules.Rules[0].SecretGroup != 1 {
		t.Fatalf("rules %+v, want one with secretGroup = 1", rules.Rules)
	}
	rule := rules.Rules[0]
	gitleaks := regexp.MustCompile(rule.Regex)

	github := githubPattern(t)
	if want := github["Before secret"] + "(" + github["Secret format"] + ")(?:" + github["After secret"] + ")"; rule.Regex != want {
		t.Errorf("the gitleaks regex\n  %s\nis not the GitHub pattern\n  %s", rule.Regex, want)
	}
	if m := gitleaks.FindStringSubmatch(github["Test string"]); m == nil {
		t.Errorf("the GitHub pattern's test string %q does not match", github["Test string"])
	}

	uuid := regexp.MustCompile(`[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}`)
	for _, line := range lines(t, "testdata/secretscan/leaks.txt") {
		m := gitleaks.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("no match in the leak %q", line)
			continue
		}
		if want := uuid.FindString(line); m[1] != want {
			t.Errorf("%q: the secret is %q, want the token %q", line, m[1], want)
		}
		if !strings.Contains(strings.ToLower(line), rule.Keywords[0]) {
			t.Errorf("%q lacks the keyword %q, so gitleaks would skip it", line, rule.Keywords[0])
		}
	}
	for _, line := range lines(t, "testdata/secretscan/clean.txt") {
		if m := gitleaks.FindString(line); m != "" {
			t.Errorf("a match in the clean line %q: %q", line, m)
		}
	}
}

// githubPattern reads the fields of the GitHub custom pattern: a line
// "Field:" followed by the value on the next line.
func githubPattern(t *testing.T) map[string]string {
	t.Helper()
	fields := map[string]string{}
	all := lines(t, ".."+GitHubPatternPath)
	for i, line := range all {
		if name, ok := strings.CutSuffix(line, ":"); ok && i+1 < len(all) {
			fields[name] = all[i+1]
		}
	}
	for _, f := range []string{"Secret format", "Before secret", "After secret", "Test string"} {
		if fields[f] == "" {
			t.Fatalf("the GitHub pattern has no %q", f)
		}
	}
	return fields
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	for s := bufio.NewScanner(f); s.Scan(); {
		if s.Text() != "" {
			out = append(out, s.Text())
		}
	}
	return out
}
