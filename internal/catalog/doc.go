// Package catalog is the region's catalog of knowledge supports
// (kunskapsstöd): care pathways, national guidelines, care programmes,
// clinical knowledge documents, drug recommendation lists and local routines,
// with their owners, recommendations, affected units, responsible improvement
// leads, and a lifecycle of dated, reasoned status changes kept as history.
// The prioritisation round (package priority) picks its candidates here.
package catalog
