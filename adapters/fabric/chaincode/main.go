// Command records serves the Liaison records chaincode as a Fabric
// chaincode-as-a-service: the peer connects to it, so it needs no Docker.
//
// It reads two environment variables:
//   - CHAINCODE_ID: the package ID the peer knows the chaincode by
//     ("records_1.0:9f8e…", as `peer lifecycle chaincode calculatepackageid`
//     prints it);
//   - CHAINCODE_SERVER_ADDRESS: the host:port to listen on, the address in
//     the package's connection.json.
//
// The server speaks plain gRPC (connection.json has "tls_required": false):
// run it on loopback or a private network next to its peer.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/liaison-gw/liaison/adapters/fabric/chaincode/records"
)

func main() {
	if err := run(); err != nil {
		log.Fatalf("records chaincode: %v", err)
	}
}

func run() error {
	id, addr := os.Getenv("CHAINCODE_ID"), os.Getenv("CHAINCODE_SERVER_ADDRESS")
	if id == "" || addr == "" {
		return fmt.Errorf("set CHAINCODE_ID (the package ID) and CHAINCODE_SERVER_ADDRESS (host:port)")
	}
	cc, err := records.NewChaincode()
	if err != nil {
		return err
	}
	srv := &shim.ChaincodeServer{
		CCID:     id,
		Address:  addr,
		CC:       cc,
		TLSProps: shim.TLSProperties{Disabled: true},
	}
	log.Printf("records chaincode %s listening on %s", id, addr)
	return srv.Start()
}
