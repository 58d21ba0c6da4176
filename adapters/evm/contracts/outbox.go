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

// OutboxMessage is an auto generated low-level Go binding around an user-defined struct.
type OutboxMessage struct {
	Destination string
	Receiver    string
	ContentType string
	Payload     []byte
}

// OutboxMetaData contains all meta data concerning the Outbox contract.
var OutboxMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"chainName_\",\"type\":\"string\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"ChainNameTooLong\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyChainName\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyDestination\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"payloadHash\",\"type\":\"bytes32\"}],\"name\":\"RecordPublished\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"chainName\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"commitments\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextSequence\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"name\":\"publish\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structOutbox.Message[]\",\"name\":\"messages\",\"type\":\"tuple[]\"}],\"name\":\"publishBatch\",\"outputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"ids\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint64\",\"name\":\"firstSeq\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"seq\",\"type\":\"uint64\"}],\"name\":\"recordId\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Outbox",
	Bin: "0x608060405234801561001057600080fd5b50604051610daa380380610daa83398101604081905261002f916100a7565b805160008190036100535760405163d3bbdc4560e01b815260040160405180910390fd5b61ffff81111561007d5760405163d41b979f60e01b81526004810182905260240160405180910390fd5b60026100898382610209565b5050506102cb565b634e487b7160e01b600052604160045260246000fd5b6000602082840312156100b957600080fd5b81516001600160401b038111156100cf57600080fd5b8201601f810184136100e057600080fd5b80516001600160401b038111156100f9576100f9610091565b604051601f8201601f19908116603f011681016001600160401b038111828210171561012757610127610091565b60405281815282820160200186101561013f57600080fd5b60005b8281101561015e57602081850181015183830182015201610142565b50600091810160200191909152949350505050565b600181811c9082168061018757607f821691505b6020821081036101a757634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610204578282111561020457806000526020600020601f840160051c60208510156101db575060005b90810190601f840160051c0360005b81811015610200576000838201556001016101ea565b5050505b505050565b81516001600160401b0381111561022257610222610091565b610236816102308454610173565b846101ad565b6020601f82116001811461026a57600083156102525750848201515b600019600385901b1c1916600184901b1784556102c4565b600084815260208120601f198516915b8281101561029a578785015182556020948501946001909201910161027a565b50848210156102b85786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b610ad0806102da6000396000f3fe608060405234801561001057600080fd5b50600436106100625760003560e01c80631b53323f146100675780631c93b03a1461009c578063839df945146100b15780638b4e071c146100df578063b9a51a8e146100f2578063edc0d4a014610112575b600080fd5b61007a6100753660046105cc565b610133565b604080519283526001600160401b039091166020830152015b60405180910390f35b6100a4610157565b60405161009391906106c3565b6100d16100bf3660046106f6565b60006020819052908152604090205481565b604051908152602001610093565b6100d16100ed36600461070f565b6101e9565b6100fa6101fa565b6040516001600160401b039091168152602001610093565b610125610120366004610738565b610219565b6040516100939291906107ad565b6000806101468a8a8a8a8a8a8a8a610315565b915091509850989650505050505050565b60606002805461016690610804565b80601f016020809104026020016040519081016040528092919081815260200182805461019290610804565b80156101df5780601f106101b4576101008083540402835291602001916101df565b820191906000526020600020905b8154815290600101906020018083116101c257829003601f168201915b5050505050905090565b60006101f482610476565b92915050565b60018054600091610214916001600160401b03169061083e565b905090565b60606000826001600160401b038111156102355761023561086b565b60405190808252806020026020018201604052801561025e578160200160208202803683370190505b5060018054919350610279916001600160401b03169061083e565b905060005b8381101561030d573685858381811061029957610299610881565b90506020028101906102ab9190610897565b90506102e66102ba82806108b7565b6102c760208501856108b7565b6102d460408701876108b7565b6102e160608901896108b7565b610315565b508483815181106102f9576102f9610881565b60209081029190910101525060010161027e565b509250929050565b60008088810361033857604051631e86f26160e21b815260040160405180910390fd5b60018054610351916001600160401b039091169061083e565b6001805467ffffffffffffffff19166001600160401b038316179055905061037881610476565b915060006002858560405161038e9291906108fd565b602060405180830381855afa1580156103ab573d6000803e3d6000fd5b5050506040513d601f19601f820116820180604052508101906103ce919061090d565b905082828c8c8c8c8c8c886040516020016103f19998979695949392919061094f565b60408051601f198184030181528282528051602091820120600087815291829052919020556001600160401b0383169084907f502e1a72179264c34e208c225569c47e8096a65e5721cc669df1324b8502436c90610460908f908f908f908f908f908f908f908f908d906109b7565b60405180910390a3509850989650505050505050565b6000806002805461048690610804565b80601f01602080910402602001604051908101604052809291908181526020018280546104b290610804565b80156104ff5780601f106104d4576101008083540402835291602001916104ff565b820191906000526020600020905b8154815290600101906020018083116104e257829003601f168201915b50505050509050600281518260143087604051602001610523959493929190610a1f565b60408051601f198184030181529082905261053d91610ab1565b602060405180830381855afa15801561055a573d6000803e3d6000fd5b5050506040513d601f19601f8201168201806040525081019061057d919061090d565b9392505050565b60008083601f84011261059657600080fd5b5081356001600160401b038111156105ad57600080fd5b6020830191508360208285010111156105c557600080fd5b9250929050565b6000806000806000806000806080898b0312156105e857600080fd5b88356001600160401b038111156105fe57600080fd5b61060a8b828c01610584565b90995097505060208901356001600160401b0381111561062957600080fd5b6106358b828c01610584565b90975095505060408901356001600160401b0381111561065457600080fd5b6106608b828c01610584565b90955093505060608901356001600160401b0381111561067f57600080fd5b61068b8b828c01610584565b999c989b5096995094979396929594505050565b60005b838110156106ba5781810151838201526020016106a2565b50506000910152565b60208152600082518060208401526106e281604085016020870161069f565b601f01601f19169190910160400192915050565b60006020828403121561070857600080fd5b5035919050565b60006020828403121561072157600080fd5b81356001600160401b038116811461057d57600080fd5b6000806020838503121561074b57600080fd5b82356001600160401b0381111561076157600080fd5b8301601f8101851361077257600080fd5b80356001600160401b0381111561078857600080fd5b8560208260051b840101111561079d57600080fd5b6020919091019590945092505050565b6040808252835190820181905260009060208501906060840190835b818110156107e75783518352602093840193909201916001016107c9565b505080925050506001600160401b03831660208301529392505050565b600181811c9082168061081857607f821691505b60208210810361083857634e487b7160e01b600052602260045260246000fd5b50919050565b6001600160401b0381811683821601908111156101f457634e487b7160e01b600052601160045260246000fd5b634e487b7160e01b600052604160045260246000fd5b634e487b7160e01b600052603260045260246000fd5b60008235607e198336030181126108ad57600080fd5b9190910192915050565b6000808335601e198436030181126108ce57600080fd5b8301803591506001600160401b038211156108e857600080fd5b6020019150368190038213156105c557600080fd5b8183823760009101908152919050565b60006020828403121561091f57600080fd5b5051919050565b81835281816020850137506000828201602090810191909152601f909101601f19169091010190565b8981526001600160401b038916602082015260c06040820152600061097860c08301898b610926565b828103606084015261098b81888a610926565b905082810360808401526109a0818688610926565b9150508260a08301529a9950505050505050505050565b60a0815260006109cb60a083018b8d610926565b82810360208401526109de818a8c610926565b905082810360408401526109f381888a610926565b90508281036060840152610a08818688610926565b9150508260808301529a9950505050505050505050565b736c696169736f6e2f7265636f72642d69642f763160601b815261ffff60f01b8660f01b16601482015260008551610a5e816016850160208a0161069f565b60f09590951b6001600160f01b0319166016929095019182019490945260609290921b6bffffffffffffffffffffffff1916601883015260c01b6001600160c01b031916602c8201526034019392505050565b600082516108ad81846020870161069f56fea164736f6c6343000825000a",
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

// PackPublishBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xedc0d4a0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function publishBatch((string,string,string,bytes)[] messages) returns(bytes32[] ids, uint64 firstSeq)
func (outbox *Outbox) PackPublishBatch(messages []OutboxMessage) []byte {
	enc, err := outbox.abi.Pack("publishBatch", messages)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPublishBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xedc0d4a0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function publishBatch((string,string,string,bytes)[] messages) returns(bytes32[] ids, uint64 firstSeq)
func (outbox *Outbox) TryPackPublishBatch(messages []OutboxMessage) ([]byte, error) {
	return outbox.abi.Pack("publishBatch", messages)
}

// PublishBatchOutput serves as a container for the return parameters of contract
// method PublishBatch.
type PublishBatchOutput struct {
	Ids      [][32]byte
	FirstSeq uint64
}

// UnpackPublishBatch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xedc0d4a0.
//
// Solidity: function publishBatch((string,string,string,bytes)[] messages) returns(bytes32[] ids, uint64 firstSeq)
func (outbox *Outbox) UnpackPublishBatch(data []byte) (PublishBatchOutput, error) {
	out, err := outbox.abi.Unpack("publishBatch", data)
	outstruct := new(PublishBatchOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Ids = *abi.ConvertType(out[0], new([][32]byte)).(*[][32]byte)
	outstruct.FirstSeq = *abi.ConvertType(out[1], new(uint64)).(*uint64)
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
