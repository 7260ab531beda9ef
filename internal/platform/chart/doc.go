// Package chart draws accessible charts as inline SVG: a scatter chart (the
// importance × feasibility matrix of a prioritisation round), a run chart
// (an indicator over time with its median and target) and a timeline (bars
// from start to end over the months of a year, such as a time plan of
// introductions or an action plan). Each chart gives its
// SVG, with role="img", a title and a description, and a [Table] with the
// same data for a table beside it. The output is deterministic, uses no
// script and no external resource, and numbers follow the locale.
package chart
