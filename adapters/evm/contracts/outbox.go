// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// OutboxMetaData contains all meta data concerning the Outbox contract.
var OutboxMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"chainName_\",\"type\":\"string\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"ChainNameTooLong\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyChainName\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyDestination\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"payloadHash\",\"type\":\"bytes32\"}],\"name\":\"RecordPublished\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"chainName\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"commitments\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextSequence\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"name\":\"publish\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"}],\"name\":\"recordId\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Outbox",
	Bin: "0x608060405234801561001057600080fd5b50604051610b0a380380610b0a83398101604081905261002f916100a7565b805160008190036100535760405163d3bbdc4560e01b815260040160405180910390fd5b61ffff81111561007d5760405163d41b979f60e01b81526004810182905260240160405180910390fd5b60026100898382610209565b5050506102cb565b634e487b7160e01b600052604160045260246000fd5b6000602082840312156100b957600080fd5b81516001600160401b038111156100cf57600080fd5b8201601f810184136100e057600080fd5b80516001600160401b038111156100f9576100f9610091565b604051601f8201601f19908116603f011681016001600160401b038111828210171561012757610127610091565b60405281815282820160200186101561013f57600080fd5b60005b8281101561015e57602081850181015183830182015201610142565b50600091810160200191909152949350505050565b600181811c9082168061018757607f821691505b6020821081036101a757634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610204578282111561020457806000526020600020601f840160051c60208510156101db575060005b90810190601f840160051c0360005b81811015610200576000838201556001016101ea565b5050505b505050565b81516001600160401b0381111561022257610222610091565b610236816102308454610173565b846101ad565b6020601f82116001811461026a57600083156102525750848201515b600019600385901b1c1916600184901b1784556102c4565b600084815260208120601f198516915b8281101561029a578785015182556020948501946001909201910161027a565b50848210156102b85786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b610830806102da6000396000f3fe608060405234801561001057600080fd5b50600436106100575760003560e01c80631b53323f1461005c5780631c93b03a14610091578063839df945146100a65780638b4e071c146100d4578063b9a51a8e146100e7575b600080fd5b61006f61006a366004610480565b610107565b604080519283526001600160401b039091166020830152015b60405180910390f35b610099610268565b6040516100889190610577565b6100c66100b43660046105aa565b60006020819052908152604090205481565b604051908152602001610088565b6100c66100e23660046105c3565b6102fa565b6100ef61030b565b6040516001600160401b039091168152602001610088565b60008088810361012a57604051631e86f26160e21b815260040160405180910390fd5b60018054610143916001600160401b03909116906105ec565b6001805467ffffffffffffffff19166001600160401b038316179055905061016a8161032a565b9150600060028585604051610180929190610619565b602060405180830381855afa15801561019d573d6000803e3d6000fd5b5050506040513d601f19601f820116820180604052508101906101c09190610629565b905082828c8c8c8c8c8c886040516020016101e39998979695949392919061066b565b60408051601f198184030181528282528051602091820120600087815291829052919020556001600160401b0383169084907f502e1a72179264c34e208c225569c47e8096a65e5721cc669df1324b8502436c90610252908f908f908f908f908f908f908f908f908d906106d3565b60405180910390a3509850989650505050505050565b6060600280546102779061073b565b80601f01602080910402602001604051908101604052809291908181526020018280546102a39061073b565b80156102f05780601f106102c5576101008083540402835291602001916102f0565b820191906000526020600020905b8154815290600101906020018083116102d357829003601f168201915b5050505050905090565b60006103058261032a565b92915050565b60018054600091610325916001600160401b0316906105ec565b905090565b6000806002805461033a9061073b565b80601f01602080910402602001604051908101604052809291908181526020018280546103669061073b565b80156103b35780601f10610388576101008083540402835291602001916103b3565b820191906000526020600020905b81548152906001019060200180831161039657829003601f168201915b505050505090506002815182601430876040516020016103d7959493929190610775565b60408051601f19818403018152908290526103f191610807565b602060405180830381855afa15801561040e573d6000803e3d6000fd5b5050506040513d601f19601f820116820180604052508101906104319190610629565b9392505050565b60008083601f84011261044a57600080fd5b5081356001600160401b0381111561046157600080fd5b60208301915083602082850101111561047957600080fd5b9250929050565b6000806000806000806000806080898b03121561049c57600080fd5b88356001600160401b038111156104b257600080fd5b6104be8b828c01610438565b90995097505060208901356001600160401b038111156104dd57600080fd5b6104e98b828c01610438565b90975095505060408901356001600160401b0381111561050857600080fd5b6105148b828c01610438565b90955093505060608901356001600160401b0381111561053357600080fd5b61053f8b828c01610438565b999c989b5096995094979396929594505050565b60005b8381101561056e578181015183820152602001610556565b50506000910152565b6020815260008251806020840152610596816040850160208701610553565b601f01601f19169190910160400192915050565b6000602082840312156105bc57600080fd5b5035919050565b6000602082840312156105d557600080fd5b81356001600160401b038116811461043157600080fd5b6001600160401b03818116838216019081111561030557634e487b7160e01b600052601160045260246000fd5b8183823760009101908152919050565b60006020828403121561063b57600080fd5b5051919050565b81835281816020850137506000828201602090810191909152601f909101601f19169091010190565b8981526001600160401b038916602082015260c06040820152600061069460c08301898b610642565b82810360608401526106a781888a610642565b905082810360808401526106bc818688610642565b9150508260a08301529a9950505050505050505050565b60a0815260006106e760a083018b8d610642565b82810360208401526106fa818a8c610642565b9050828103604084015261070f81888a610642565b90508281036060840152610724818688610642565b9150508260808301529a9950505050505050505050565b600181811c9082168061074f57607f821691505b60208210810361076f57634e487b7160e01b600052602260045260246000fd5b50919050565b736c696169736f6e2f7265636f72642d69642f763160601b815261ffff60f01b8660f01b166014820152600085516107b4816016850160208a01610553565b60f09590951b6001600160f01b0319166016929095019182019490945260609290921b6bffffffffffffffffffffffff1916601883015260c01b6001600160c01b031916602c8201526034019392505050565b60008251610819818460208701610553565b919091019291505056fea164736f6c6343000825000a",
}

// Outbox is an auto generated Go binding around an Ethereum contract.
type Outbox struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Outbox) GetABI() abi.ABI {
	return c.abi
}

// NewOutbox creates a new instance of Outbox.
func NewOutbox() *Outbox {
	parsed, err := OutboxMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Outbox{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Outbox) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string chainName_) returns()
func (outbox *Outbox) PackConstructor(chainName_ string) []byte {
	enc, err := outbox.abi.Pack("", chainName_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackChainName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c93b03a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function chainName() view returns(string)
func (outbox *Outbox) PackChainName() []byte {
	enc, err := outbox.abi.Pack("chainName")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChainName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c93b03a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function chainName() view returns(string)
func (outbox *Outbox) TryPackChainName() ([]byte, error) {
	return outbox.abi.Pack("chainName")
}

// UnpackChainName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1c93b03a.
//
// Solidity: function chainName() view returns(string)
func (outbox *Outbox) UnpackChainName(data []byte) (string, error) {
	out, err := outbox.abi.Unpack("chainName", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackCommitments is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x839df945.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commitments(bytes32 id) view returns(bytes32 digest)
func (outbox *Outbox) PackCommitments(id [32]byte) []byte {
	enc, err := outbox.abi.Pack("commitments", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommitments is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x839df945.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commitments(bytes32 id) view returns(bytes32 digest)
func (outbox *Outbox) TryPackCommitments(id [32]byte) ([]byte, error) {
	return outbox.abi.Pack("commitments", id)
}

// UnpackCommitments is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x839df945.
//
// Solidity: function commitments(bytes32 id) view returns(bytes32 digest)
func (outbox *Outbox) UnpackCommitments(data []byte) ([32]byte, error) {
	out, err := outbox.abi.Unpack("commitments", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackNextSequence is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb9a51a8e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextSequence() view returns(uint64)
func (outbox *Outbox) PackNextSequence() []byte {
	enc, err := outbox.abi.Pack("nextSequence")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextSequence is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb9a51a8e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextSequence() view returns(uint64)
func (outbox *Outbox) TryPackNextSequence() ([]byte, error) {
	return outbox.abi.Pack("nextSequence")
}

// UnpackNextSequence is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb9a51a8e.
//
// Solidity: function nextSequence() view returns(uint64)
func (outbox *Outbox) UnpackNextSequence(data []byte) (uint64, error) {
	out, err := outbox.abi.Unpack("nextSequence", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackPublish is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b53323f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function publish(string destination, string receiver, string contentType, bytes payload) returns(bytes32 id, uint64 seq)
func (outbox *Outbox) PackPublish(destination string, receiver string, contentType string, payload []byte) []byte {
	enc, err := outbox.abi.Pack("publish", destination, receiver, contentType, payload)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPublish is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b53323f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function publish(string destination, string receiver, string contentType, bytes payload) returns(bytes32 id, uint64 seq)
func (outbox *Outbox) TryPackPublish(destination string, receiver string, contentType string, payload []byte) ([]byte, error) {
	return outbox.abi.Pack("publish", destination, receiver, contentType, payload)
}

// PublishOutput serves as a container for the return parameters of contract
// method Publish.
type PublishOutput struct {
	Id  [32]byte
	Seq uint64
}

// UnpackPublish is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1b53323f.
//
// Solidity: function publish(string destination, string receiver, string contentType, bytes payload) returns(bytes32 id, uint64 seq)
func (outbox *Outbox) UnpackPublish(data []byte) (PublishOutput, error) {
	out, err := outbox.abi.Unpack("publish", data)
	outstruct := new(PublishOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Id = *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	outstruct.Seq = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackRecordId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8b4e071c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function recordId(uint64 seq) view returns(bytes32)
func (outbox *Outbox) PackRecordId(seq uint64) []byte {
	enc, err := outbox.abi.Pack("recordId", seq)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecordId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8b4e071c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function recordId(uint64 seq) view returns(bytes32)
func (outbox *Outbox) TryPackRecordId(seq uint64) ([]byte, error) {
	return outbox.abi.Pack("recordId", seq)
}

// UnpackRecordId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8b4e071c.
//
// Solidity: function recordId(uint64 seq) view returns(bytes32)
func (outbox *Outbox) UnpackRecordId(data []byte) ([32]byte, error) {
	out, err := outbox.abi.Unpack("recordId", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// OutboxRecordPublished represents a RecordPublished event raised by the Outbox contract.
type OutboxRecordPublished struct {
	Id          [32]byte
	Sequence    uint64
	Destination string
	Receiver    string
	ContentType string
	Payload     []byte
	PayloadHash [32]byte
	Raw         *types.Log // Blockchain specific contextual infos
}

const OutboxRecordPublishedEventName = "RecordPublished"

// ContractEventName returns the user-defined event name.
func (OutboxRecordPublished) ContractEventName() string {
	return OutboxRecordPublishedEventName
}

// UnpackRecordPublishedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RecordPublished(bytes32 indexed id, uint64 indexed sequence, string destination, string receiver, string contentType, bytes payload, bytes32 payloadHash)
func (outbox *Outbox) UnpackRecordPublishedEvent(log *types.Log) (*OutboxRecordPublished, error) {
	event := "RecordPublished"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != outbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(OutboxRecordPublished)
	if len(log.Data) > 0 {
		if err := outbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range outbox.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (outbox *Outbox) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], outbox.abi.Errors["ChainNameTooLong"].ID.Bytes()[:4]) {
		return outbox.UnpackChainNameTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], outbox.abi.Errors["EmptyChainName"].ID.Bytes()[:4]) {
		return outbox.UnpackEmptyChainNameError(raw[4:])
	}
	if bytes.Equal(raw[:4], outbox.abi.Errors["EmptyDestination"].ID.Bytes()[:4]) {
		return outbox.UnpackEmptyDestinationError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// OutboxChainNameTooLong represents a ChainNameTooLong error raised by the Outbox contract.
type OutboxChainNameTooLong struct {
	Length *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChainNameTooLong(uint256 length)
func OutboxChainNameTooLongErrorID() common.Hash {
	return common.HexToHash("0xd41b979fe4ed51d57fbe67f9b8d3a8622b1d119cda6a83fc715dda83c9147dd4")
}

// UnpackChainNameTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChainNameTooLong(uint256 length)
func (outbox *Outbox) UnpackChainNameTooLongError(raw []byte) (*OutboxChainNameTooLong, error) {
	out := new(OutboxChainNameTooLong)
	if err := outbox.abi.UnpackIntoInterface(out, "ChainNameTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// OutboxEmptyChainName represents a EmptyChainName error raised by the Outbox contract.
type OutboxEmptyChainName struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyChainName()
func OutboxEmptyChainNameErrorID() common.Hash {
	return common.HexToHash("0xd3bbdc451083c82696a83e80f6fa338f2a81b9c2e663cd577a75b06bf6410be0")
}

// UnpackEmptyChainNameError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyChainName()
func (outbox *Outbox) UnpackEmptyChainNameError(raw []byte) (*OutboxEmptyChainName, error) {
	out := new(OutboxEmptyChainName)
	if err := outbox.abi.UnpackIntoInterface(out, "EmptyChainName", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// OutboxEmptyDestination represents a EmptyDestination error raised by the Outbox contract.
type OutboxEmptyDestination struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyDestination()
func OutboxEmptyDestinationErrorID() common.Hash {
	return common.HexToHash("0x7a1bc98421a5ade8874119a63658577c4fe4caab714d792baa659dad8f6e639f")
}

// UnpackEmptyDestinationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyDestination()
func (outbox *Outbox) UnpackEmptyDestinationError(raw []byte) (*OutboxEmptyDestination, error) {
	out := new(OutboxEmptyDestination)
	if err := outbox.abi.UnpackIntoInterface(out, "EmptyDestination", raw); err != nil {
		return nil, err
	}
	return out, nil
}
