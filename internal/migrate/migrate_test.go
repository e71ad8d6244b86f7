package migrate

import (
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"m/0002_index.sql": {Data: []byte("CREATE INDEX i ON t(a);")},
		"m/0001_init.sql":  {Data: []byte("CREATE TABLE t(a);")},
		"m/README":         {Data: []byte("not a migration")},
	}
	ms, err := Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Name != "0001_init.sql" || ms[1].Version != 2 || ms[1].SQL != "CREATE INDEX i ON t(a);" {
		t.Errorf("Load = %+v", ms)
	}
	for name, bad := range map[string]fstest.MapFS{
		"gap":       {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"no number": {"m/init.sql": {}},
	} {
		if _, err := Load(bad, "m"); err == nil {
			t.Errorf("%s: Load accepted it", name)
		}
	}
}
