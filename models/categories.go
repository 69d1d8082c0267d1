package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// CategorySet is the participant categories a meeting admits, stored as
// their keys comma-separated in the order of Categories; empty (as every
// meeting made before categories existed) admits all.
type CategorySet []string

// Admits reports whether the set admits category key.
func (s CategorySet) Admits(key string) bool { return len(s) == 0 || slices.Contains(s, key) }

// List is the admitted categories, all of them for an empty set.
func (s CategorySet) List() []string {
	if len(s) == 0 {
		return Categories
	}
	return s
}

// MarshalJSON lists the admitted categories: an empty set shows all.
func (s CategorySet) MarshalJSON() ([]byte, error) { return json.Marshal(s.List()) }

// GormDataType stores the set as a string column.
func (CategorySet) GormDataType() string { return "string" }

// Value stores the set; all categories are stored as "".
func (s CategorySet) Value() (driver.Value, error) {
	if len(s) == len(Categories) {
		return "", nil
	}
	return strings.Join(s, ","), nil
}

// Scan reads the set.
func (s *CategorySet) Scan(v any) error {
	var str string
	switch x := v.(type) {
	case nil:
	case string:
		str = x
	case []byte:
		str = string(x)
	default:
		return fmt.Errorf("categories: cannot read %T", v)
	}
	*s = nil
	if str != "" {
		*s = strings.Split(str, ",")
	}
	return nil
}
