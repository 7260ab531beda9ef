package forum

import "github.com/kunskapsnav/kunskapsnav/internal/platform/api"

// The API's tag for the package in the OpenAPI document.
var apiTags = []string{"Forums and cases"}

// registerAPI adds the package's operations under /api/v1.
func registerAPI(a *api.API, svc *Service) {
	meetingAPI(a, svc)
	caseAPI(a, svc)
	municipalAPI(a, svc)
}
