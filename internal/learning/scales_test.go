package learning_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/learning"
)

func TestBuiltInScales(t *testing.T) {
	scales := learning.BuiltInScales()
	if len(scales) != 2 {
		t.Fatalf("%d built-in scales, want 2", len(scales))
	}
	want := map[string][]string{
		learning.DefaultScaleID: {"Novice", "Advanced beginner", "Competent", "Proficient", "Expert"},
		learning.SFIAScaleID: {"Follow", "Assist", "Apply", "Enable", "Ensure, advise", "Initiate, influence",
			"Set strategy, inspire, mobilise"},
	}
	for _, s := range scales {
		names, ok := want[s.ID]
		if !ok {
			t.Errorf("unexpected built-in scale %q", s.ID)
			continue
		}
		if !s.BuiltIn || s.Version != 1 || s.Name == "" || s.Description == "" {
			t.Errorf("%s: built_in %v, version %d, name %q, description %q; want built in at version 1 with a name and description",
				s.ID, s.BuiltIn, s.Version, s.Name, s.Description)
		}
		var got []string
		for _, l := range s.Levels {
			got = append(got, l.Name)
			if strings.TrimSpace(l.Descriptor) == "" {
				t.Errorf("%s level %d has no descriptor", s.ID, l.Level)
			}
		}
		if !slices.Equal(got, names) {
			t.Errorf("%s levels %q, want %q", s.ID, got, names)
		}
		if p := learning.ValidateLevels(s.Levels); p != nil {
			t.Errorf("%s does not validate: %q", s.ID, p)
		}
		if s.Max() != len(names) {
			t.Errorf("%s max %d, want %d", s.ID, s.Max(), len(names))
		}
	}
}

func TestBuiltInScale(t *testing.T) {
	s, ok := learning.BuiltInScale(learning.SFIAScaleID)
	if !ok || s.ID != learning.SFIAScaleID || s.LevelName(4) != "Enable" {
		t.Errorf("BuiltInScale(sfia) = %q level 4 %q, %v", s.ID, s.LevelName(4), ok)
	}
	s, ok = learning.BuiltInScale(learning.DefaultScaleID)
	if !ok || s.LevelName(3) != "Competent" {
		t.Errorf("BuiltInScale(default) level 3 %q, %v", s.LevelName(3), ok)
	}
	if _, ok := learning.BuiltInScale("custom-1"); ok {
		t.Error("BuiltInScale found a scale that is not built in")
	}
	// Changing a returned scale leaves the next caller's intact.
	s.Levels[0].Name = "changed"
	if again, _ := learning.BuiltInScale(learning.DefaultScaleID); again.Levels[0].Name != "Novice" {
		t.Errorf("built-in scale changed by a caller: level 1 is %q", again.Levels[0].Name)
	}
}

func TestValidateLevels(t *testing.T) {
	l := func(n int, name string) learning.Level { return learning.Level{Level: n, Name: name} }
	tests := []struct {
		name   string
		levels []learning.Level
		want   []string // substrings, one per problem, in order
	}{
		{"one level", []learning.Level{l(1, "Aware")}, nil},
		{"three levels", []learning.Level{l(1, "a"), l(2, "b"), l(3, "c")}, nil},
		{"none", nil, []string{"at least one level"}},
		{"empty", []learning.Level{}, []string{"at least one level"}},
		{"starts at 0", []learning.Level{l(0, "none"), l(1, "a")}, []string{"1 to 2 in ascending order: position 1 holds level 0"}},
		{"starts at 2", []learning.Level{l(2, "a"), l(3, "b")}, []string{"position 1 holds level 2"}},
		{"gap", []learning.Level{l(1, "a"), l(3, "b")}, []string{"position 2 holds level 3"}},
		{"descending", []learning.Level{l(2, "b"), l(1, "a")}, []string{"position 1 holds level 2"}},
		{"repeated", []learning.Level{l(1, "a"), l(1, "b")}, []string{"position 2 holds level 1"}},
		{"blank name", []learning.Level{l(1, "a"), l(2, "  ")}, []string{"position 2 needs a name"}},
		{"both", []learning.Level{l(1, ""), l(3, "b"), l(3, "")},
			[]string{"position 2 holds level 3", "position 1 needs a name", "position 3 needs a name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := learning.ValidateLevels(tt.levels)
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %d like %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("problem %d %q, want it to say %q", i, got[i], tt.want[i])
				}
			}
			if tt.want == nil && got != nil {
				t.Errorf("problems %#v, want nil", got)
			}
		})
	}
}
