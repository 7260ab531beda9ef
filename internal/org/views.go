package org

import (
	"context"
	"slices"
	"strings"
)

// TreeNode is a unit with its sub-units, for the organisation tree.
type TreeNode struct {
	Unit     Unit        `json:"unit"`
	Children []*TreeNode `json:"children,omitempty"`
	Match    bool        `json:"-"` // the unit itself matches the search
}

// Tree returns the organisation tree, roots first, each level sorted by name.
// With a query it keeps only units whose name or HSA-id matches and the units
// above them, so a match is shown in its place.
func (s *Service) Tree(ctx context.Context, query string) ([]*TreeNode, error) {
	units, err := listUnits(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return buildTree(units, query), nil
}

func buildTree(units []Unit, query string) []*TreeNode {
	nodes := make(map[int64]*TreeNode, len(units))
	for _, u := range units {
		nodes[u.ID] = &TreeNode{Unit: u}
	}
	q := strings.ToLower(strings.TrimSpace(query))
	keep := map[int64]bool{}
	for _, u := range units {
		if q == "" || strings.Contains(strings.ToLower(u.Name), q) || strings.Contains(strings.ToLower(u.HSAID), q) {
			nodes[u.ID].Match = q != ""
			for id, hops := u.ID, 0; id != 0 && !keep[id] && hops < len(units); hops++ {
				keep[id] = true
				if n, ok := nodes[id]; ok {
					id = n.Unit.ParentID
				} else {
					id = 0
				}
			}
		}
	}
	var roots []*TreeNode
	for _, u := range units { // units come sorted by name
		if !keep[u.ID] {
			continue
		}
		n := nodes[u.ID]
		if p, ok := nodes[u.ParentID]; ok && u.ParentID != 0 {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

// MemberView is a membership with its person and group, for pages and reports.
type MemberView struct {
	Membership Membership `json:"membership"`
	Person     Person     `json:"person"`
	Group      Group      `json:"group"`
	Current    bool       `json:"current"`
}

// GroupView is everything the group page shows.
type GroupView struct {
	Group     Group        `json:"group"`
	Parent    *Group       `json:"parent,omitempty"`
	Children  []Group      `json:"children"`
	Current   []MemberView `json:"current"`
	Past      []MemberView `json:"past"`
	Vacancies int          `json:"vacancies" doc:"Seats minus current members (not counting deputies, secretaries and co-opted)"`
}

// GroupView gathers a group, its parent and children, and its current and past
// members, as of today.
func (s *Service) GroupView(ctx context.Context, id int64) (GroupView, error) {
	g, err := findGroup(ctx, s.db, id)
	if err != nil {
		return GroupView{}, err
	}
	v := GroupView{Group: g}
	if g.ParentID != 0 {
		p, err := findGroup(ctx, s.db, g.ParentID)
		if err != nil {
			return GroupView{}, err
		}
		v.Parent = &p
	}
	if v.Children, err = listGroups(ctx, s.db, GroupFilter{ParentID: id}); err != nil {
		return GroupView{}, err
	}
	ms, people, err := membersOf(ctx, s.db, id)
	if err != nil {
		return GroupView{}, err
	}
	today := s.Today()
	seated := 0
	for i, m := range ms {
		mv := MemberView{Membership: m, Person: people[i], Group: g, Current: m.ActiveOn(today)}
		switch {
		case mv.Current:
			v.Current = append(v.Current, mv)
			if occupiesSeat(m.Role) {
				seated++
			}
		case m.Start.After(today):
			v.Current = append(v.Current, mv) // starting soon: shown with its start date
		default:
			v.Past = append(v.Past, mv)
		}
	}
	sortMembers(v.Current)
	v.Vacancies = max(0, g.Seats-seated)
	return v, nil
}

// occupiesSeat reports whether a role fills one of a group's seats; deputies,
// secretaries and co-opted members do not.
func occupiesSeat(r Role) bool { return r != Deputy && r != Secretary && r != CoOpted }

// roleOrder sorts the chair first and co-opted members last.
var roleOrder = map[Role]int{Chair: 0, ProcessLeader: 1, Coordinator: 2, Member: 3, Deputy: 4, Secretary: 5, CoOpted: 6}

func sortMembers(ms []MemberView) {
	slices.SortStableFunc(ms, func(a, b MemberView) int {
		if d := roleOrder[a.Membership.Role] - roleOrder[b.Membership.Role]; d != 0 {
			return d
		}
		return strings.Compare(a.Person.Name, b.Person.Name)
	})
}

// PersonView is everything the person page shows.
type PersonView struct {
	Person       Person       `json:"person"`
	Unit         *Unit        `json:"unit,omitempty"`
	Current      []MemberView `json:"current"`
	Past         []MemberView `json:"past"`
	SharePercent float64      `json:"share_percent" doc:"Sum of the current memberships' shares of full time"`
	KeyRoles     int          `json:"key_roles" doc:"Current key roles: chair, process leader, coordinator"`
}

// PersonView gathers a person, their unit, and all current and past roles.
func (s *Service) PersonView(ctx context.Context, id int64) (PersonView, error) {
	p, err := findPerson(ctx, s.db, id)
	if err != nil {
		return PersonView{}, err
	}
	v := PersonView{Person: p}
	if p.UnitID != 0 {
		u, err := findUnit(ctx, s.db, p.UnitID)
		if err != nil {
			return PersonView{}, err
		}
		v.Unit = &u
	}
	ms, groups, err := rolesOf(ctx, s.db, id)
	if err != nil {
		return PersonView{}, err
	}
	today := s.Today()
	for i, m := range ms {
		mv := MemberView{Membership: m, Person: p, Group: groups[i], Current: m.ActiveOn(today)}
		if mv.Current || m.Start.After(today) {
			v.Current = append(v.Current, mv)
			if mv.Current {
				v.SharePercent += m.SharePercent
				if m.Role.Key() {
					v.KeyRoles++
				}
			}
		} else {
			v.Past = append(v.Past, mv)
		}
	}
	return v, nil
}
