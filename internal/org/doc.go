// Package org is the organisation registry: the national structure of
// kunskapsstyrning (sjukvårdsregioner, regions, NPO, NSG and the other groups),
// the region's own organisation tree of divisions, departments and care units,
// the people who take part and their memberships; and the three questions asked
// of them: who represents the region where, what participation costs, and
// where the work depends on a single person.
package org
