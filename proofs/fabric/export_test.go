package fabric

// ValidateConfigUpdate is validateConfigUpdate, for FuzzConfigUpdate: a
// fuzzer cannot sign blocks, so it calls the config update check directly.
var ValidateConfigUpdate = validateConfigUpdate
