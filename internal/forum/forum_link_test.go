package forum

import "testing"

func TestLink_Href(t *testing.T) {
	t.Parallel()
	tests := []struct {
		entity, id, want string
	}{
		{"support", "12", "/kunskapsstod/12"},
		{"prioritisation_round", "3", "/prioritering/3"},
		{"group", "7", "/organisation/grupper/7"},
		{"support", "12/../../admin", ""},
		{"something", "1", ""},
	}
	for _, tt := range tests {
		if got := (Link{Entity: tt.entity, EntityID: tt.id}).Href(); got != tt.want {
			t.Errorf("Href(%s %s) = %q, want %q", tt.entity, tt.id, got, tt.want)
		}
	}
}
