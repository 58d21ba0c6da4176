package cosmoslive_test

import "flag"

// update is the -update flag: regenerate the verifiers' testdata from
// in-process chains. gotest.tools (a dependency of ibc-go's testing
// package) already defines a boolean -update flag; it is reused, as
// defining it twice panics.
var update = updateFlag()

func updateFlag() *bool {
	if f := flag.Lookup("update"); f != nil {
		if g, ok := f.Value.(flag.Getter); ok {
			if _, isBool := g.Get().(bool); isBool {
				return nil // read through updating()
			}
		}
	}
	return flag.Bool("update", false, "regenerate proofs/*/testdata from in-process ibc-go chains")
}

// updating reports whether -update was given.
func updating() bool {
	if update != nil {
		return *update
	}
	return flag.Lookup("update").Value.String() == "true"
}
