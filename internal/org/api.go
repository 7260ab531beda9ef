package org

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// The API's tag for the registry in the OpenAPI document.
var apiTags = []string{"Organisation"}

// IDInput names one record by its id.
type IDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The record's id"`
}

// DeleteInput names the record to delete and the version the caller last read.
type DeleteInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The record's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; if someone has changed the record since, the answer is 409 and nothing is deleted"`
}

// Reference data and settings.

// HealthcareRegionListOutput lists the sjukvårdsregioner.
type HealthcareRegionListOutput struct {
	Body struct {
		Items []HealthcareRegion `json:"items"`
	}
}

// RegionListOutput lists the regions.
type RegionListOutput struct {
	Body struct {
		Items []Region `json:"items"`
	}
}

// MunicipalityListOutput lists the municipalities of the home region.
type MunicipalityListOutput struct {
	Body struct {
		Items []Municipality `json:"items"`
	}
}

// SettingsOutput is the registry's settings.
type SettingsOutput struct {
	Body Settings
}

// SettingsBody is the settings as sent to change them.
type SettingsBody struct {
	HomeRegion       string `json:"home_region" maxLength:"100" doc:"Code of the home region, from /regions (e.g. jamtland-harjedalen)"`
	AnnualCostPerFTE int64  `json:"annual_cost_per_fte" minimum:"0" maximum:"100000000" doc:"Salary incl. social fees for one full-time person, whole SEK per year"`
	OverheadPercent  int64  `json:"overhead_percent" minimum:"0" maximum:"500" doc:"Overhead added to the salary cost, percent"`
	TravelPerPerson  int64  `json:"travel_per_person" minimum:"0" maximum:"10000000" doc:"Travel and meeting costs per participating person, whole SEK per year"`
	KeyRoleLimit     int    `json:"key_role_limit" minimum:"1" maximum:"50" doc:"A person holding more key roles than this is flagged in the person-dependence report"`
	Version          int64  `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// SettingsUpdateInput changes the settings.
type SettingsUpdateInput struct {
	Body SettingsBody
}

// Units.

// UnitListInput filters the units.
type UnitListInput struct {
	Level    string `query:"level" enum:"division,department,unit," doc:"Only units at this level: division (förvaltning), department (verksamhet) or unit (vårdenhet)"`
	Kind     string `query:"kind" enum:"university_hospital,county_hospital,primary_care,psychiatry,dental,other," doc:"Only units of this kind"`
	ParentID int64  `query:"parent_id" minimum:"0" doc:"Only the direct sub-units of this unit"`
	Q        string `query:"q" maxLength:"200" doc:"Only units whose name or HSA-id contains this text (case-insensitive)"`
}

// UnitListOutput lists units, by name.
type UnitListOutput struct {
	Body struct {
		Items []Unit `json:"items"`
	}
}

// UnitOutput is one unit.
type UnitOutput struct {
	Body Unit
}

// UnitHistoryOutput lists a unit's earlier names and places.
type UnitHistoryOutput struct {
	Body struct {
		Items []UnitChange `json:"items"`
	}
}

// UnitBody is a unit as sent to create it.
type UnitBody struct {
	ParentID  int64     `json:"parent_id,omitempty" minimum:"0" doc:"The unit above: a division for a department; a division or department for a care unit; absent for a division"`
	Level     UnitLevel `json:"level" enum:"division,department,unit" doc:"division (förvaltning), department (verksamhet) or unit (vårdenhet)"`
	Name      string    `json:"name" minLength:"1" maxLength:"200"`
	HSAID     string    `json:"hsa_id,omitempty" maxLength:"31" doc:"HSA-id: SE, a ten-digit organisation number, a hyphen and a local part (SE2321000207-1001); unique among units"`
	Kind      UnitKind  `json:"kind" enum:"university_hospital,county_hospital,primary_care,psychiatry,dental,other" doc:"What sort of care the unit gives; the representation report compares kinds"`
	ValidFrom date.Date `json:"valid_from,omitzero" format:"date" doc:"First day the unit exists, YYYY-MM-DD"`
	ValidTo   date.Date `json:"valid_to,omitzero" format:"date" doc:"Last day the unit exists, YYYY-MM-DD"`
}

func (b UnitBody) unit() Unit {
	return Unit{ParentID: b.ParentID, Level: b.Level, Name: b.Name, HSAID: b.HSAID, Kind: b.Kind, ValidFrom: b.ValidFrom, ValidTo: b.ValidTo}
}

// UnitUpdateBody is a unit as sent to change it.
type UnitUpdateBody struct {
	UnitBody
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// UnitCreateInput creates a unit.
type UnitCreateInput struct {
	Body UnitBody
}

// UnitUpdateInput changes a unit.
type UnitUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The unit's id"`
	Body UnitUpdateBody
}

// Groups.

// GroupListInput filters the groups.
type GroupListInput struct {
	Kind     string `query:"kind" enum:"npo,nsg,nag,primary_care_council,rpo,lpo,governance_council,large_group,leadership,joint_forum,political_forum,other," doc:"Only groups of this kind"`
	Level    string `query:"level" enum:"national,healthcare_region,region," doc:"Only groups working at this level"`
	ParentID int64  `query:"parent_id" minimum:"0" doc:"Only the direct sub-groups of this group (e.g. the NAGs of an NPO)"`
	Q        string `query:"q" maxLength:"200" doc:"Only groups whose Swedish or English name contains this text (case-insensitive)"`
}

// GroupListOutput lists groups, by level, kind and name.
type GroupListOutput struct {
	Body struct {
		Items []Group `json:"items"`
	}
}

// GroupOutput is one group.
type GroupOutput struct {
	Body Group
}

// GroupBody is a group as sent to create it.
type GroupBody struct {
	Kind             GroupKind `json:"kind" enum:"npo,nsg,nag,primary_care_council,rpo,lpo,governance_council,large_group,leadership,joint_forum,political_forum,other" doc:"npo, nsg, nag (under an NPO), primary_care_council, rpo, lpo, governance_council (kunskapsstyrningsråd), large_group (stora gruppen), leadership (HSL), joint_forum (region–municipality forum), political_forum (its political counterpart) or other"`
	Code             string    `json:"code,omitempty" maxLength:"50" doc:"Reference code; unique"`
	Name             string    `json:"name" minLength:"1" maxLength:"200"`
	NameEn           string    `json:"name_en,omitempty" maxLength:"200" doc:"English name"`
	Level            Level     `json:"level" enum:"national,healthcare_region,region" doc:"Where the group works"`
	ParentID         int64     `json:"parent_id,omitempty" minimum:"0" doc:"The group above; a NAG must hang under an NPO"`
	HealthcareRegion string    `json:"healthcare_region,omitempty" maxLength:"50" doc:"For sjukvårdsregion-level groups: code of the sjukvårdsregion, from /healthcare-regions"`
	HostRegion       string    `json:"host_region,omitempty" maxLength:"50" doc:"For an NPO only: code of the sjukvårdsregion that hosts it (värdskap)"`
	Area             string    `json:"area,omitempty" maxLength:"200" doc:"Area of care the group covers"`
	Mandate          string    `json:"mandate,omitempty" maxLength:"5000" doc:"The group's mandate"`
	Seats            int       `json:"seats,omitempty" minimum:"0" maximum:"500" doc:"Expected number of members; fewer current members show as vacancies"`
}

func (b GroupBody) group() Group {
	return Group{Kind: b.Kind, Code: b.Code, Name: b.Name, NameEn: b.NameEn, Level: b.Level, ParentID: b.ParentID,
		HealthcareRegion: b.HealthcareRegion, HostRegion: b.HostRegion, Area: b.Area, Mandate: b.Mandate, Seats: b.Seats}
}

// GroupUpdateBody is a group as sent to change it. A national reference group
// keeps its code, kind and level whatever is sent.
type GroupUpdateBody struct {
	GroupBody
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// GroupCreateInput creates a group.
type GroupCreateInput struct {
	Body GroupBody
}

// GroupUpdateInput changes a group.
type GroupUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The group's id"`
	Body GroupUpdateBody
}

// People.

// PersonListInput filters and pages the people.
type PersonListInput struct {
	Q      string `query:"q" maxLength:"200" doc:"Only people whose name, title, e-mail or HSA-id contains this text (case-insensitive)"`
	UnitID int64  `query:"unit_id" minimum:"0" doc:"Only people working at this unit"`
	api.PageParams
}

// PersonListOutput is one page of people, by id.
type PersonListOutput struct {
	Body struct {
		Items      []Person `json:"items"`
		NextCursor string   `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

// PersonOutput is one person.
type PersonOutput struct {
	Body Person
}

// PersonBody is a person as sent to create them: work information only.
type PersonBody struct {
	Name          string   `json:"name" minLength:"1" maxLength:"200"`
	Title         string   `json:"title,omitempty" maxLength:"200" doc:"Professional title, e.g. överläkare"`
	Email         string   `json:"email,omitempty" maxLength:"254" doc:"Work e-mail address"`
	UnitID        int64    `json:"unit_id,omitempty" minimum:"0" doc:"Unit of the home region the person works at, from /units"`
	Region        string   `json:"region,omitempty" maxLength:"100" doc:"Employing region's code, from /regions; absent means the home region"`
	WorkplaceKind UnitKind `json:"workplace_kind,omitempty" enum:"university_hospital,county_hospital,primary_care,psychiatry,dental,other," doc:"Kind of workplace, for people without a unit in the registry"`
	HSAID         string   `json:"hsa_id,omitempty" maxLength:"31" doc:"Personal HSA-id (SE2321000207-ABC1); unique among people"`
	UserID        int64    `json:"user_id,omitempty" minimum:"0" doc:"Linked user account"`
}

func (b PersonBody) person() Person {
	return Person{Name: b.Name, Title: b.Title, Email: b.Email, UnitID: b.UnitID, Region: b.Region,
		WorkplaceKind: b.WorkplaceKind, HSAID: b.HSAID, UserID: b.UserID}
}

// PersonUpdateBody is a person as sent to change them.
type PersonUpdateBody struct {
	PersonBody
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// PersonCreateInput creates a person.
type PersonCreateInput struct {
	Body PersonBody
}

// PersonUpdateInput changes a person.
type PersonUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The person's id"`
	Body PersonUpdateBody
}

// Memberships.

// MembershipListInput filters and pages the memberships.
type MembershipListInput struct {
	GroupID  int64  `query:"group_id" minimum:"0" doc:"Only memberships of this group"`
	PersonID int64  `query:"person_id" minimum:"0" doc:"Only memberships of this person"`
	ActiveOn string `query:"active_on" format:"date" doc:"Only memberships running on this day, YYYY-MM-DD"`
	api.PageParams
}

// MembershipListOutput is one page of memberships, by id.
type MembershipListOutput struct {
	Body struct {
		Items      []Membership `json:"items"`
		NextCursor string       `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

// MembershipOutput is one membership.
type MembershipOutput struct {
	Body Membership
}

// MembershipBody is a membership as sent to create it.
type MembershipBody struct {
	GroupID                    int64       `json:"group_id" minimum:"1" doc:"The group, from /groups"`
	PersonID                   int64       `json:"person_id" minimum:"1" doc:"The person, from /people"`
	Role                       Role        `json:"role" enum:"chair,process_leader,member,deputy,secretary,co_opted,coordinator" doc:"chair (ordförande), process_leader (processledare), member (ledamot), deputy (ersättare), secretary (sekreterare), co_opted (adjungerad) or coordinator (samordnare)"`
	RepresentsRegion           string      `json:"represents_region,omitempty" maxLength:"100" doc:"Code of the region the person represents, from /regions"`
	RepresentsHealthcareRegion string      `json:"represents_healthcare_region,omitempty" maxLength:"50" doc:"Code of the sjukvårdsregion the person represents, from /healthcare-regions"`
	SharePercent               float64     `json:"share_percent,omitempty" minimum:"0" maximum:"100" doc:"Share of full time spent in the group, percent, two decimals"`
	Composition                Composition `json:"composition,omitempty" enum:"core,extended," doc:"For councils with two rings: core or extended composition"`
	Start                      date.Date   `json:"start" format:"date" doc:"First day, YYYY-MM-DD"`
	End                        date.Date   `json:"end,omitzero" format:"date" doc:"Last day, YYYY-MM-DD; absent while the membership runs on"`
}

func (b MembershipBody) membership() Membership {
	return Membership{GroupID: b.GroupID, PersonID: b.PersonID, Role: b.Role, RepresentsRegion: b.RepresentsRegion,
		RepresentsHealthcareRegion: b.RepresentsHealthcareRegion, SharePercent: b.SharePercent, Composition: b.Composition,
		Start: b.Start, End: b.End}
}

// MembershipUpdateBody is a membership as sent to change it.
type MembershipUpdateBody struct {
	MembershipBody
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// MembershipCreateInput creates a membership.
type MembershipCreateInput struct {
	Body MembershipBody
}

// MembershipUpdateInput changes a membership.
type MembershipUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The membership's id"`
	Body MembershipUpdateBody
}

// op describes one registry operation.
func op(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description, Tags: apiTags}
	switch method {
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
		o.Errors = []int{http.StatusBadRequest, http.StatusUnprocessableEntity}
	case http.MethodPut:
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodDelete:
		o.DefaultStatus = http.StatusNoContent
		o.Errors = []int{http.StatusNotFound, http.StatusConflict}
	}
	return o
}

// Texts shared by the descriptions of changing operations.
const (
	versionNote = " Send the `version` you last read: if someone has changed the record since, the answer is 409 and nothing is saved."
	deleteNote  = " Give the version you last read as `?version=`: if someone has changed the record since, the answer is 409 and nothing is deleted."
	invalidNote = " A value that breaks a rule of the registry is refused with 422, naming the field (`body.<field>`)."
)

// RegisterAPI adds the organisation registry's operations to the API: the
// national reference structure, settings, units, groups, people and memberships.
func RegisterAPI(a *api.API, svc *Service) {
	registerReferenceAPI(a, svc)
	registerUnitAPI(a, svc)
	registerGroupAPI(a, svc)
	registerPersonAPI(a, svc)
	registerMembershipAPI(a, svc)
}

func registerReferenceAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-healthcare-regions", http.MethodGet, "/healthcare-regions", "List the sjukvårdsregioner",
		"The six sjukvårdsregioner (healthcare regions) in which the regions cooperate, by name."),
		Read, func(ctx context.Context, _ *struct{}) (*HealthcareRegionListOutput, error) {
			items, err := svc.HealthcareRegions(ctx)
			out := &HealthcareRegionListOutput{}
			out.Body.Items = append([]HealthcareRegion{}, items...)
			return out, err
		})
	api.Register(a, op("list-regions", http.MethodGet, "/regions", "List the regions",
		"The 21 regions with their county codes and sjukvårdsregion, by county code."),
		Read, func(ctx context.Context, _ *struct{}) (*RegionListOutput, error) {
			items, err := svc.Regions(ctx)
			out := &RegionListOutput{}
			out.Body.Items = append([]Region{}, items...)
			return out, err
		})
	api.Register(a, op("list-municipalities", http.MethodGet, "/municipalities", "List the municipalities of the home region",
		"The municipalities (kommuner) in the home region set in /settings, by name."),
		Read, func(ctx context.Context, _ *struct{}) (*MunicipalityListOutput, error) {
			items, err := svc.Municipalities(ctx)
			out := &MunicipalityListOutput{}
			out.Body.Items = append([]Municipality{}, items...)
			return out, err
		})
	api.Register(a, op("get-org-settings", http.MethodGet, "/settings", "Get the registry settings",
		"The home region and the cost settings the participation-cost and person-dependence reports use."),
		Read, func(ctx context.Context, _ *struct{}) (*SettingsOutput, error) {
			st, err := svc.Settings(ctx)
			return &SettingsOutput{Body: st}, err
		})
	api.Register(a, op("update-org-settings", http.MethodPut, "/settings", "Change the registry settings",
		"Sets the home region and the cost settings."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *SettingsUpdateInput) (*SettingsOutput, error) {
			b := in.Body
			st, err := svc.SaveSettings(ctx, Settings{HomeRegion: strings.TrimSpace(b.HomeRegion), AnnualCostPerFTE: b.AnnualCostPerFTE,
				OverheadPercent: b.OverheadPercent, TravelPerPerson: b.TravelPerPerson, KeyRoleLimit: b.KeyRoleLimit, Version: b.Version})
			return &SettingsOutput{Body: st}, err
		})
}

func registerUnitAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-units", http.MethodGet, "/units", "List the units of the home region",
		"Divisions (förvaltningar), departments (verksamheter) and care units (vårdenheter) of the home region's organisation tree, by name. Each unit names its parent, so the tree can be rebuilt from the list."),
		Read, func(ctx context.Context, in *UnitListInput) (*UnitListOutput, error) {
			items, err := svc.UnitsMatching(ctx, UnitFilter{Level: UnitLevel(in.Level), Kind: UnitKind(in.Kind), ParentID: in.ParentID, Query: in.Q})
			out := &UnitListOutput{}
			out.Body.Items = append([]Unit{}, items...)
			return out, err
		})
	api.Register(a, op("get-unit", http.MethodGet, "/units/{id}", "Get a unit", ""),
		Read, func(ctx context.Context, in *IDInput) (*UnitOutput, error) {
			u, err := svc.Unit(ctx, in.ID)
			return &UnitOutput{Body: u}, err
		})
	api.Register(a, op("list-unit-history", http.MethodGet, "/units/{id}/history", "List a unit's earlier names and places",
		"Each rename or move of the unit keeps what it was before: name, parent and level, with who changed it and when; newest first."),
		Read, func(ctx context.Context, in *IDInput) (*UnitHistoryOutput, error) {
			if _, err := svc.Unit(ctx, in.ID); err != nil {
				return nil, err
			}
			items, err := svc.UnitHistory(ctx, in.ID)
			out := &UnitHistoryOutput{}
			out.Body.Items = append([]UnitChange{}, items...)
			return out, err
		})
	api.Register(a, op("create-unit", http.MethodPost, "/units", "Create a unit",
		"Adds a unit to the tree. A division has no parent; a department sits under a division; a care unit under a division or department. An HSA-id must be well formed and not used by another unit."+invalidNote),
		Write, func(ctx context.Context, in *UnitCreateInput) (*UnitOutput, error) {
			u, err := svc.CreateUnit(ctx, in.Body.unit())
			return &UnitOutput{Body: u}, err
		})
	api.Register(a, op("update-unit", http.MethodPut, "/units/{id}", "Change a unit",
		"Replaces the unit's fields. A rename or move keeps the earlier name and place in the unit's history; a move under the unit itself or one of its sub-units is refused."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *UnitUpdateInput) (*UnitOutput, error) {
			u := in.Body.unit()
			u.ID, u.Version = in.ID, in.Body.Version
			u, err := svc.UpdateUnit(ctx, u)
			return &UnitOutput{Body: u}, err
		})
	api.Register(a, op("delete-unit", http.MethodDelete, "/units/{id}", "Delete a unit",
		"Removes a unit entered by mistake. A unit that still has sub-units or people is kept: 409."+deleteNote),
		Write, func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			return nil, svc.DeleteUnit(ctx, in.ID, in.Version)
		})
}

func registerGroupAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-groups", http.MethodGet, "/groups", "List the groups",
		"Groups at every level: the national program areas (NPO), cooperation groups (NSG) and working groups (NAG), the regional (RPO) and local (LPO) program areas, councils and others; by level, kind and name."),
		Read, func(ctx context.Context, in *GroupListInput) (*GroupListOutput, error) {
			items, err := svc.Groups(ctx, GroupFilter{Kind: GroupKind(in.Kind), Level: Level(in.Level), ParentID: in.ParentID, Query: strings.TrimSpace(in.Q)})
			out := &GroupListOutput{}
			out.Body.Items = append([]Group{}, items...)
			return out, err
		})
	api.Register(a, op("get-group", http.MethodGet, "/groups/{id}", "Get a group", ""),
		Read, func(ctx context.Context, in *IDInput) (*GroupOutput, error) {
			g, err := svc.Group(ctx, in.ID)
			return &GroupOutput{Body: g}, err
		})
	api.Register(a, op("create-group", http.MethodPost, "/groups", "Create a group",
		"Adds a group. A NAG hangs under an NPO; only an NPO has a host sjukvårdsregion; a code must not be used by another group."+invalidNote),
		Write, func(ctx context.Context, in *GroupCreateInput) (*GroupOutput, error) {
			g, err := svc.CreateGroup(ctx, in.Body.group())
			return &GroupOutput{Body: g}, err
		})
	api.Register(a, op("update-group", http.MethodPut, "/groups/{id}", "Change a group",
		"Replaces the group's fields. A national reference group keeps its code, kind and level; its host, area, mandate and seats can change. A group cannot be placed under itself or one of its sub-groups."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *GroupUpdateInput) (*GroupOutput, error) {
			g := in.Body.group()
			g.ID, g.Version = in.ID, in.Body.Version
			g, err := svc.UpdateGroup(ctx, g)
			return &GroupOutput{Body: g}, err
		})
	api.Register(a, op("delete-group", http.MethodDelete, "/groups/{id}", "Delete a group",
		"Removes a group entered by mistake. A group with sub-groups or memberships is kept: 409. The national reference groups cannot be removed: 422."+deleteNote),
		Write, func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			return nil, inPath(svc.DeleteGroup(ctx, in.ID, in.Version))
		})
}

func registerPersonAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-people", http.MethodGet, "/people", "List people",
		"People taking part in kunskapsstyrning, by id, one page at a time."),
		Read, func(ctx context.Context, in *PersonListInput) (*PersonListOutput, error) {
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, api.InQuery(err)
			}
			items, next, err := svc.PeoplePage(ctx, PersonFilter{Query: in.Q, UnitID: in.UnitID}, Paging{After: after, Limit: in.Limit})
			out := &PersonListOutput{}
			out.Body.Items = append([]Person{}, items...)
			out.Body.NextCursor = api.EncodeCursor(next)
			return out, err
		})
	api.Register(a, op("get-person", http.MethodGet, "/people/{id}", "Get a person", ""),
		Read, func(ctx context.Context, in *IDInput) (*PersonOutput, error) {
			p, err := svc.Person(ctx, in.ID)
			return &PersonOutput{Body: p}, err
		})
	api.Register(a, op("create-person", http.MethodPost, "/people", "Create a person",
		"Adds a person with work information only. An HSA-id must be well formed and not used by another person."+invalidNote),
		Write, func(ctx context.Context, in *PersonCreateInput) (*PersonOutput, error) {
			p, err := svc.CreatePerson(ctx, in.Body.person())
			return &PersonOutput{Body: p}, err
		})
	api.Register(a, op("update-person", http.MethodPut, "/people/{id}", "Change a person",
		"Replaces the person's fields."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *PersonUpdateInput) (*PersonOutput, error) {
			p := in.Body.person()
			p.ID, p.Version = in.ID, in.Body.Version
			p, err := svc.UpdatePerson(ctx, p)
			return &PersonOutput{Body: p}, err
		})
	api.Register(a, op("delete-person", http.MethodDelete, "/people/{id}", "Delete a person",
		"Removes a person entered by mistake. A person who holds or has held memberships is kept: 409."+deleteNote),
		Write, func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			return nil, svc.DeletePerson(ctx, in.ID, in.Version)
		})
}

func registerMembershipAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-memberships", http.MethodGet, "/memberships", "List memberships",
		"Who holds which role in which group, for which period; by id, one page at a time."),
		Read, func(ctx context.Context, in *MembershipListInput) (*MembershipListOutput, error) {
			f := MembershipFilter{GroupID: in.GroupID, PersonID: in.PersonID}
			if s := strings.TrimSpace(in.ActiveOn); s != "" {
				d, err := date.Parse(s)
				if err != nil {
					return nil, errs.Invalidf("query.active_on", "validation.date")
				}
				f.ActiveOn = d
			}
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, api.InQuery(err)
			}
			items, next, err := svc.MembershipsPage(ctx, f, Paging{After: after, Limit: in.Limit})
			out := &MembershipListOutput{}
			out.Body.Items = append([]Membership{}, items...)
			out.Body.NextCursor = api.EncodeCursor(next)
			return out, err
		})
	api.Register(a, op("get-membership", http.MethodGet, "/memberships/{id}", "Get a membership", ""),
		Read, func(ctx context.Context, in *IDInput) (*MembershipOutput, error) {
			m, err := svc.Membership(ctx, in.ID)
			return &MembershipOutput{Body: m}, err
		})
	api.Register(a, op("create-membership", http.MethodPost, "/memberships", "Create a membership",
		"Gives a person a role in a group from a start date. The group, person and represented regions must exist; the end, if given, must not be before the start; the share of full time is 0–100 %."+invalidNote),
		Write, func(ctx context.Context, in *MembershipCreateInput) (*MembershipOutput, error) {
			m, err := svc.CreateMembership(ctx, in.Body.membership())
			return &MembershipOutput{Body: m}, err
		})
	api.Register(a, op("update-membership", http.MethodPut, "/memberships/{id}", "Change a membership",
		"Replaces the membership's fields; to end a membership, set its end date."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *MembershipUpdateInput) (*MembershipOutput, error) {
			m := in.Body.membership()
			m.ID, m.Version = in.ID, in.Body.Version
			m, err := svc.UpdateMembership(ctx, m)
			return &MembershipOutput{Body: m}, err
		})
	api.Register(a, op("delete-membership", http.MethodDelete, "/memberships/{id}", "Delete a membership",
		"Removes a membership entered by mistake. One that has ended should be kept with its end date instead, so the history stays."+deleteNote),
		Write, func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			return nil, svc.DeleteMembership(ctx, in.ID, in.Version)
		})
}

// inPath names a problem with the record's id as the path parameter, not a
// field of a body.
func inPath(err error) error {
	v, ok := errs.AsValidation(err)
	if !ok || !v.Has("id") {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		if f.Name == "id" {
			f.Name = "path.id"
		}
		out.Add(f.Name, f.Key, f.Args...)
	}
	return out
}
