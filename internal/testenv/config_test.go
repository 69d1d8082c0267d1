package testenv_test

import (
	"reflect"
	"slices"
	"testing"

	"rostrum/app"
	"rostrum/internal/testenv"
)

// The suite runs what users run: a test server's configuration is the
// shipped one but for its database, address and mail server. A key added
// to testenv.Config's overrides (say, to lift a limit that a test trips
// on) fails here; a test that is about a setting sets it itself.
func TestConfigIsTheShippedOne(t *testing.T) {
	shipped, test := testenv.Shipped(t), testenv.Config(t)
	for _, d := range configDiff(shipped, test) {
		if !slices.Contains(testenv.Overridden, d) {
			t.Errorf("test servers change %q from the shipped config.yaml; set it in the test that is about it", d)
		}
	}
}

// config.yaml spells out every default in code, so that `-config ""` (the
// defaults alone) and the shipped file run the same server.
func TestShippedFileAgreesWithTheDefaultsInCode(t *testing.T) {
	inCode, err := app.LoadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := configDiff(inCode, testenv.Shipped(t)); len(d) > 0 {
		t.Errorf("config.yaml and app.Defaults differ in %v", d)
	}
}

// configDiff names the keys whose values differ.
func configDiff(a, b app.Config) []string {
	var keys []string
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			keys = append(keys, va.Type().Field(i).Tag.Get("koanf"))
		}
	}
	return keys
}
