package nearest

import "testing"

func TestWord(t *testing.T) {
	ids := []string{"gdpr", "uk-gdpr", "ccpa", "cpa", "pipeda", "aliexpress", "alibaba"}
	for in, want := range map[string]string{
		"gpdr": "gdpr", "GDPR": "gdpr", "ccap": "ccpa", "uk-gpdr": "uk-gdpr", "aliexprss": "aliexpress",
		"alibab": "alibaba", "pipdea": "pipeda", "xyz": "", "": "", "gdprrrr": "",
	} {
		if got := Word(in, ids); got != want {
			t.Errorf("Word(%q) = %q, want %q", in, got, want)
		}
	}
}
