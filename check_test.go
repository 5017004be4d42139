package tokendesk

import "testing"

func TestValidateCheck(t *testing.T) {
	const uuid = "123e4567-e89b-12d3-a456-426614174000"
	tests := []struct {
		name   string
		values map[string][]string
		want   string
		code   string
	}{
		{"plain", map[string][]string{"token": {uuid}}, uuid, ""},
		{"upper case", map[string][]string{"token": {"123E4567-E89B-12D3-A456-426614174000"}}, "123E4567-E89B-12D3-A456-426614174000", ""},
		{"spaces around", map[string][]string{"token": {"  " + uuid + "\n"}}, uuid, ""},
		{"double quotes", map[string][]string{"token": {`"` + uuid + `"`}}, uuid, ""},
		{"single quotes and spaces", map[string][]string{"token": {` '` + uuid + `' `}}, uuid, ""},
		{"curly quotes", map[string][]string{"token": {"“" + uuid + "”"}}, uuid, ""},
		{"other fields ignored", map[string][]string{"token": {uuid}, "name": {"x"}}, uuid, ""},
		{"missing", map[string][]string{}, "", CodeFieldRequired},
		{"empty", map[string][]string{"token": {"  "}}, "", CodeFieldRequired},
		{"unmatched quote", map[string][]string{"token": {`"` + uuid}}, "", CodeFieldInvalid},
		{"short", map[string][]string{"token": {uuid[:35]}}, "", CodeFieldInvalid},
		{"no dashes", map[string][]string{"token": {"123e4567e89b12d3a456426614174000"}}, "", CodeFieldInvalid},
		{"not hex", map[string][]string{"token": {"123e4567-e89b-12d3-a456-42661417400g"}}, "", CodeFieldInvalid},
		{"inner space", map[string][]string{"token": {"123e4567-e89b-12d3-a456 426614174000"}}, "", CodeFieldInvalid},
		{"duplicated", map[string][]string{"token": {uuid, uuid}}, "", CodeFieldDuplicated},
	}
	for _, tt := range tests {
		got, err := ValidateCheck(tt.values)
		code := ""
		if err != nil {
			code = err.Code
			if err.Field != FieldToken || err.Status != 400 {
				t.Errorf("%s: error %+v, want a 400 on field token", tt.name, err)
			}
		}
		if got != tt.want || code != tt.code {
			t.Errorf("%s: got %q, %q; want %q, %q", tt.name, got, code, tt.want, tt.code)
		}
	}
}

func FuzzNormalizeToken(f *testing.F) {
	f.Add(`"123e4567-e89b-12d3-a456-426614174000"`)
	f.Add("“x”")
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeToken(s)
		if len(got) > len(s) {
			t.Fatalf("NormalizeToken(%q) = %q grew", s, got)
		}
		if token, err := ValidateCheckToken(s); err == nil && !IsUUID(token) {
			t.Fatalf("accepted %q as %q", s, token)
		}
	})
}
