package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"tokendesk/internal/stack"
)

// observatoryResult is the part of mdn-http-observatory-scan's output we read.
type observatoryResult struct {
	Scan struct {
		Score int    `json:"score"`
		Grade string `json:"grade"`
	} `json:"scan"`
	Tests map[string]struct {
		Expectation   string `json:"expectation"`
		Pass          bool   `json:"pass"`
		Result        string `json:"result"`
		ScoreModifier int    `json:"scoreModifier"`
	} `json:"tests"`
	Error string `json:"error"`
}

// TestObservatoryGrade runs Mozilla's own HTTP Observatory scanner against
// the Worker in workerd and grades the headers by its published rules.
//
// Over plain http on loopback two tests cannot pass: redirection (there is
// no https to redirect to) and strict-transport-security (HSTS counts only
// over https). For those two the test takes the outcome our headers earn
// over https, which the relay tests prove: http GET → 308 to https on the
// same host, and an HSTS max-age of two years. Their modifiers, and the
// grade, come from the scanner's own grader, not from numbers typed here.
func TestObservatoryGrade(t *testing.T) {
	t.Parallel()
	root, err := stack.FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	scanner := filepath.Join(root, "node_modules", ".bin", "mdn-http-observatory-scan")
	if _, err := os.Stat(scanner); err != nil {
		t.Fatalf("the Observatory scanner is missing (run `make deps`): %v", err)
	}
	s := plain.get(t)
	host := strings.TrimPrefix(s.URL, "http://")
	out, err := exec.Command(scanner, host).Output()
	if err != nil {
		t.Fatalf("scanner: %v\n%s", err, out)
	}
	var res observatoryResult
	if err := json.Unmarshal(out, &res); err != nil || res.Error != "" {
		t.Fatalf("scanner output: %v %s\n%s", err, res.Error, out)
	}

	https := map[string]string{
		"redirection":               "redirection-to-https",
		"strict-transport-security": "hsts-implemented-max-age-at-least-six-months",
	}
	modifiers := graderModifiers(t, root, https["redirection"], https["strict-transport-security"])

	// The scanner's own formula: 100 plus every modifier; bonuses count
	// only if the score without them is already at least 90.
	withBonus, uncurved := 100, 100
	names := make([]string, 0, len(res.Tests))
	for name := range res.Tests {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		test := res.Tests[name]
		result, modifier := test.Result, test.ScoreModifier
		if over, ok := https[name]; ok {
			result, modifier = over, modifiers[over]
			t.Logf("%-30s %-55s %+d (over https; loopback http gave %s)", name, result, modifier, test.Result)
		} else {
			t.Logf("%-30s %-55s %+d", name, result, modifier)
			if !test.Pass {
				t.Errorf("Observatory test %s did not pass: %s", name, test.Result)
			}
		}
		withBonus += modifier
		if modifier < 0 {
			uncurved += modifier
		}
	}
	score := uncurved
	if uncurved >= 90 {
		score = withBonus
	}
	grade := graderGrade(t, root, score)
	t.Logf("score %d, grade %s (the raw loopback scan said %d, %s)", score, grade, res.Scan.Score, res.Scan.Grade)
	if grade != "A+" {
		t.Errorf("grade %s (score %d), want A+", grade, score)
	}
	if !strings.HasPrefix(res.Tests["content-security-policy"].Result, "csp-implemented-with-no-unsafe") {
		t.Errorf("CSP result %s", res.Tests["content-security-policy"].Result)
	}
}

// graderModifiers asks the scanner's grader for the modifiers of results.
func graderModifiers(t *testing.T, root string, results ...string) map[string]int {
	t.Helper()
	script := `const g = await import(process.argv[1]); const out = {};
for (const r of process.argv.slice(2)) out[r] = g.getScoreModifier(r);
console.log(JSON.stringify(out));`
	out := runNode(t, root, script, append([]string{graderPath(root)}, results...)...)
	m := map[string]int{}
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("grader: %v: %s", err, out)
	}
	return m
}

func graderGrade(t *testing.T, root string, score int) string {
	t.Helper()
	script := `const g = await import(process.argv[1]); console.log(JSON.stringify(g.getGradeForScore(Number(process.argv[2]))));`
	out := runNode(t, root, script, graderPath(root), strconv.Itoa(score))
	var v struct {
		Grade string `json:"grade"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Grade == "" {
		t.Fatalf("grader grade: %v: %s", err, out)
	}
	return v.Grade
}

func graderPath(root string) string {
	return "file://" + filepath.Join(root, "node_modules", "@mdn", "mdn-http-observatory", "src", "grader", "grader.js")
}

func runNode(t *testing.T, root, script string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("node", append([]string{"--input-type=module", "-e", script, "--"}, args...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	return out
}
