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

// InboxRecord is an auto generated low-level Go binding around an user-defined struct.
type InboxRecord struct {
	SourceChain string
	Emitter     []byte
	Sequence    uint64
	Destination string
	Receiver    string
	ContentType string
	Payload     []byte
}

// InboxMetaData contains all meta data concerning the Inbox contract.
var InboxMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"chainName_\",\"type\":\"string\"},{\"internalType\":\"address\",\"name\":\"admin_\",\"type\":\"address\"},{\"internalType\":\"address[]\",\"name\":\"attestors\",\"type\":\"address[]\"},{\"internalType\":\"uint256\",\"name\":\"threshold_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"AlreadyAttestor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"remaining\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"threshold\",\"type\":\"uint256\"}],\"name\":\"BelowThreshold\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyChainName\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"FieldTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"threshold\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"attestorCount\",\"type\":\"uint256\"}],\"name\":\"InvalidThreshold\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"records\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"evidenceHashes\",\"type\":\"uint256\"}],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAttestor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotPendingAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"UnknownAttestor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"}],\"name\":\"WrongDestination\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"oldAdmin\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newAdmin\",\"type\":\"address\"}],\"name\":\"AdminChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"proposed\",\"type\":\"address\"}],\"name\":\"AdminProposed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"existingDigest\",\"type\":\"bytes32\"}],\"name\":\"AttestationConflict\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"evidenceHash\",\"type\":\"bytes32\"}],\"name\":\"Attested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"AttestorAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"AttestorRemoved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"sourceChain\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"name\":\"RecordDelivered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"oldThreshold\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"newThreshold\",\"type\":\"uint256\"}],\"name\":\"ThresholdChanged\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"acceptAdmin\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"addAttestor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"admin\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"sourceChain\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"emitter\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structInbox.Record\",\"name\":\"r\",\"type\":\"tuple\"},{\"internalType\":\"bytes32\",\"name\":\"evidenceHash\",\"type\":\"bytes32\"}],\"name\":\"attest\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"delivered\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"sourceChain\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"emitter\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structInbox.Record[]\",\"name\":\"rs\",\"type\":\"tuple[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"evidenceHashes\",\"type\":\"bytes32[]\"}],\"name\":\"attestBatch\",\"outputs\":[{\"internalType\":\"bool[]\",\"name\":\"delivered\",\"type\":\"bool[]\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"attestationDestination\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"attestationOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"attestationSigners\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"signers\",\"type\":\"address[]\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"attestationSigningInput\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"attestorCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"chainName\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"deliveredDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"sourceChain\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"emitter\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structInbox.Record\",\"name\":\"r\",\"type\":\"tuple\"}],\"name\":\"digestOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"firstDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"who\",\"type\":\"address\"}],\"name\":\"hasAttested\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"isAttestor\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"isDelivered\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingAdmin\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"proposed\",\"type\":\"address\"}],\"name\":\"proposeAdmin\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"removeAttestor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"newThreshold\",\"type\":\"uint256\"}],\"name\":\"setThreshold\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"threshold\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"votes\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"count\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Inbox",
	Bin: "0x60a060405234801561001057600080fd5b5060405161200738038061200783398101604081905261002f91610373565b83516000036100515760405163d3bbdc4560e01b815260040160405180910390fd5b6001600160a01b0383166100785760405163d92e233d60e01b815260040160405180910390fd5b600961008485826104fb565b5083516020850120608052600780546001600160a01b0319166001600160a01b0385169081179091556040516000907f7e644d79422f17c01e4894b5f4f588d331ebfa28653d42ae832dc59e38c9798f908290a360005b82518110156101145761010c8382815181106100f9576100f96105bd565b602002602001015161012760201b60201c565b6001016100db565b5061011e8161020d565b505050506105fa565b6001600160a01b03811661014e5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b03811660009081526004602052604090205460ff161561019857604051632ca1900960e11b81526001600160a01b03821660048201526024015b60405180910390fd5b6001600160a01b0381166000908152600460205260408120805460ff1916600190811790915560058054919290916101d19084906105d3565b90915550506040516001600160a01b038216907f945c4a21d3fce955d17e31fcc471734b3d754c032b3805b02fe75d89c29b2a3a90600090a250565b80158061021b575060055481115b1561024757600554604051637b7a98f160e01b815261018f918391600401918252602082015260400190565b60065460408051918252602082018390527f3164947cf0f49f08dd0cd80e671535b1e11590d347c55dcaa97ba3c24a96b33a910160405180910390a1600655565b634e487b7160e01b600052604160045260246000fd5b604051601f8201601f191681016001600160401b03811182821017156102c6576102c6610288565b604052919050565b80516001600160a01b03811681146102e557600080fd5b919050565b600082601f8301126102fb57600080fd5b81516001600160401b0381111561031457610314610288565b8060051b6103246020820161029e565b9182526020818501810192908101908684111561034057600080fd5b6020860192505b8383101561036957610358836102ce565b825260209283019290910190610347565b9695505050505050565b6000806000806080858703121561038957600080fd5b84516001600160401b0381111561039f57600080fd5b8501601f810187136103b057600080fd5b80516001600160401b038111156103c9576103c9610288565b6103dc601f8201601f191660200161029e565b8181528860208385010111156103f157600080fd5b60005b82811015610410576020818501810151838301820152016103f4565b5060006020838301015280965050505061042c602086016102ce565b60408601519093506001600160401b0381111561044857600080fd5b610454878288016102ea565b606096909601519497939650505050565b600181811c9082168061047957607f821691505b60208210810361049957634e487b7160e01b600052602260045260246000fd5b50919050565b601f8211156104f657828211156104f657806000526020600020601f840160051c60208510156104cd575060005b90810190601f840160051c0360005b818110156104f2576000838201556001016104dc565b5050505b505050565b81516001600160401b0381111561051457610514610288565b610528816105228454610465565b8461049f565b6020601f82116001811461055c57600083156105445750848201515b600019600385901b1c1916600184901b1784556105b6565b600084815260208120601f198516915b8281101561058c578785015182556020948501946001909201910161056c565b50848210156105aa5786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b634e487b7160e01b600052603260045260246000fd5b808201808211156105f457634e487b7160e01b600052601160045260246000fd5b92915050565b6080516119f26106156000396000610c6a01526119f26000f3fe608060405234801561001057600080fd5b506004361061014d5760003560e01c806342cde4e8116100c3578063bc4b475e1161007c578063bc4b475e14610306578063bfd103fb14610319578063e0cae63514610351578063e1526b4614610364578063f851a44014610386578063fb680b6e1461039957600080fd5b806342cde4e81461028e578063631255f2146102975780636a124b8c146102a0578063960bfe04146102c05780639b146853146102d3578063b3912023146102f357600080fd5b8063267822471161011557806326782247146101d55780632ac3dce0146102005780632d91b5fd146102235780632e2f4e241461022b57806338c441171461024e5780633cd0e28e1461026e57600080fd5b806303d9d48c146101525780630e18b68114610190578063147bf6c41461019a578063169c7e58146101ad5780631c93b03a146101c0575b600080fd5b61017d6101603660046112df565b600160209081526000928352604080842090915290825290205481565b6040519081526020015b60405180910390f35b6101986103c4565b005b6101986101a836600461131d565b61044e565b61017d6101bb366004611350565b6104c7565b6101c86104e1565b60405161018791906113d4565b6008546101e8906001600160a01b031681565b6040516001600160a01b039091168152602001610187565b61021361020e3660046113e7565b610573565b6040519015158152602001610187565b61017d6105b6565b61021361023936600461131d565b60046020526000908152604090205460ff1681565b61017d61025c36600461142b565b60006020819052908152604090205481565b61028161027c3660046114d0565b610654565b604051610187919061153f565b61017d60065481565b61017d60055481565b6102b36102ae36600461158b565b61071d565b60405161018791906115c3565b6101986102ce36600461142b565b610843565b61017d6102e136600461142b565b60036020526000908152604090205481565b61019861030136600461131d565b61087c565b61017d6103143660046115fd565b610980565b61021361032736600461163e565b60009182526002602090815260408084206001600160a01b03939093168452919052902054151590565b61019861035f36600461131d565b610a51565b61021361037236600461142b565b600090815260208190526040902054151590565b6007546101e8906001600160a01b031681565b61017d6103a736600461163e565b600260209081526000928352604080842090915290825290205481565b6008546001600160a01b031633146103f657604051631d0022d160e01b81523360048201526024015b60405180910390fd5b60075460405133916001600160a01b0316907f7e644d79422f17c01e4894b5f4f588d331ebfa28653d42ae832dc59e38c9798f90600090a3600780546001600160a01b03199081163317909155600880549091169055565b6007546001600160a01b0316331461047b57604051630bd4212160e11b81523360048201526024016103ed565b600880546001600160a01b0319166001600160a01b03831690811790915560405133907ffd22260ca7b3d2a5f6332770491ab546b6235bc73909c334f5e304d2fae455b190600090a350565b60006104db6104d583610a87565b83610b99565b92915050565b6060600980546104f09061166a565b80601f016020809104026020016040519081016040528092919081815260200182805461051c9061166a565b80156105695780601f1061053e57610100808354040283529160200191610569565b820191906000526020600020905b81548152906001019060200180831161054c57829003601f168201915b5050505050905090565b3360009081526004602052604081205460ff166105a557604051636ae28ec960e01b81523360048201526024016103ed565b6105af8383610c66565b9392505050565b600060026040518060400160405280600e81526020016d6c696169736f6e2f65766d2f763160901b81525046306040516020016105f59392919061169e565b60408051601f198184030181529082905261060f916116d1565b602060405180830381855afa15801561062c573d6000803e3d6000fd5b5050506040513d601f19601f8201168201806040525081019061064f91906116ed565b905090565b606060006106628686610980565b9050826001600160401b0381111561067c5761067c611706565b6040519080825280602002602001820160405280156106a5578160200160208202803683370190505b50915060005b83811015610713576106e1828686848181106106c9576106c961171c565b90506020028101906106db9190611732565b84610f0d565b8382815181106106f3576106f361171c565b6001600160a01b03909216602092830291909101909101526001016106ab565b5050949350505050565b3360009081526004602052604090205460609060ff1661075257604051636ae28ec960e01b81523360048201526024016103ed565b83821461077c576040516355c5b3e360e11b815260048101859052602481018390526044016103ed565b836001600160401b0381111561079457610794611706565b6040519080825280602002602001820160405280156107bd578160200160208202803683370190505b50905060005b8481101561083a576108108686838181106107e0576107e061171c565b90506020028101906107f29190611778565b8585848181106108045761080461171c565b90506020020135610c66565b8282815181106108225761082261171c565b911515602092830291909101909101526001016107c3565b50949350505050565b6007546001600160a01b0316331461087057604051630bd4212160e11b81523360048201526024016103ed565b610879816110fa565b50565b6007546001600160a01b031633146108a957604051630bd4212160e11b81523360048201526024016103ed565b6001600160a01b03811660009081526004602052604090205460ff166108ed5760405163d5bd637f60e01b81526001600160a01b03821660048201526024016103ed565b600060016005546108fe91906117a4565b9050600654811015610931576006546040516322c1720560e21b81526103ed918391600401918252602082015260400190565b6001600160a01b038216600081815260046020526040808220805460ff191690556005849055517f7b1e5155c9ac76eaa3c56fcf63a3383cd696a6fa84c49901c7ae374c0a5086129190a25050565b60006002604c60f81b6002858560405161099b9291906117b7565b602060405180830381855afa1580156109b8573d6000803e3d6000fd5b5050506040513d601f19601f820116820180604052508101906109db91906116ed565b6040516001600160f81b03199092166020830152602182015260410160408051601f1981840301815290829052610a11916116d1565b602060405180830381855afa158015610a2e573d6000803e3d6000fd5b5050506040513d601f19601f820116820180604052508101906105af91906116ed565b6007546001600160a01b03163314610a7e57604051630bd4212160e11b81523360048201526024016103ed565b61087981611175565b600080610a948380611732565b915060009050610aa76020850185611732565b91505061ffff821115610ad057604051630c68254d60e11b8152600481018390526024016103ed565b61ffff811115610af657604051630c68254d60e11b8152600481018290526024016103ed565b600282610b038680611732565b84610b1160208a018a611732565b610b2160608c0160408d016117c7565b604051602001610b3797969594939291906117f0565b60408051601f1981840301815290829052610b51916116d1565b602060405180830381855afa158015610b6e573d6000803e3d6000fd5b5050506040513d601f19601f82011682018060405250810190610b9191906116ed565b949350505050565b600082610bac60608401604085016117c7565b610bb96060850185611732565b610bc66080870187611732565b610bd360a0890189611732565b6002610be260c08c018c611732565b604051610bf09291906117b7565b602060405180830381855afa158015610c0d573d6000803e3d6000fd5b5050506040513d601f19601f82011682018060405250810190610c3091906116ed565b604051602001610c4899989796959493929190611895565b60405160208183030381529060405280519060200120905092915050565b60007f0000000000000000000000000000000000000000000000000000000000000000610c966060850185611732565b604051610ca49291906117b7565b604051809103902014610cd957610cbe6060840184611732565b6040516308eac7d560e21b81526004016103ed9291906118fd565b6000610ce484610a87565b90506000610cf28286610b99565b6000838152602081905260409020549091508015610d6657818103610d1d57600193505050506104db565b6040805183815260208101839052339185917f68b03b7aa22fdc87051c89683ad79275cf51f9ceaa8c3ee1728eb63717c4c4ef910160405180910390a3600093505050506104db565b60008381526002602090815260408083203384529091529020548015610dd857828114610dcb576040805184815260208101839052339186917f68b03b7aa22fdc87051c89683ad79275cf51f9ceaa8c3ee1728eb63717c4c4ef910160405180910390a35b60009450505050506104db565b600084815260026020908152604080832033845282528083208690558683526001808352818420878552909252822054610e1191611911565b600086815260016020908152604080832088845282529182902083905581518781529081018a9052919250339187917f4f8853b214b025e88f48d874b6c95ff8a15383653e1400ef6bf26f7d06dd7fa3910160405180910390a360008581526003602052604090205480610e95576000868152600360205260409020859055610eda565b848114610eda576040805186815260208101839052339188917f68b03b7aa22fdc87051c89683ad79275cf51f9ceaa8c3ee1728eb63717c4c4ef910160405180910390a35b600654821015610ef357600096505050505050506104db565b610efe86868b611256565b50600198975050505050505050565b600060418314610f335760405163a1c9731960e01b8152600481018390526024016103ed565b6000610f426020828688611924565b610f4b9161194e565b90506000610f5d604060208789611924565b610f669161194e565b9050600086866040818110610f7d57610f7d61171c565b919091013560f81c915050601b811015610f9f57610f9c601b8261196c565b90505b8060ff16601b14158015610fb757508060ff16601c14155b15610fd85760405163a1c9731960e01b8152600481018690526024016103ed565b821580610ff7575070014551231950b75fc4402da1732fc9bebe198310155b156110185760405163a1c9731960e01b8152600481018690526024016103ed565b81158061104457507f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a082115b156110655760405163a1c9731960e01b8152600481018690526024016103ed565b6040805160008152602081018083528a905260ff831691810191909152606081018490526080810183905260019060a0016020604051602081039080840390855afa1580156110b8573d6000803e3d6000fd5b5050604051601f1901519450506001600160a01b0384166110ef5760405163a1c9731960e01b8152600481018690526024016103ed565b505050949350505050565b801580611108575060055481115b1561113457600554604051637b7a98f160e01b81526103ed918391600401918252602082015260400190565b60065460408051918252602082018390527f3164947cf0f49f08dd0cd80e671535b1e11590d347c55dcaa97ba3c24a96b33a910160405180910390a1600655565b6001600160a01b03811661119c5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b03811660009081526004602052604090205460ff16156111e157604051632ca1900960e11b81526001600160a01b03821660048201526024016103ed565b6001600160a01b0381166000908152600460205260408120805460ff19166001908117909155600580549192909161121a908490611911565b90915550506040516001600160a01b038216907f945c4a21d3fce955d17e31fcc471734b3d754c032b3805b02fe75d89c29b2a3a90600090a250565b6000838152602081905260409020829055827fccd6bab29ad0c01ecfcbbe5f09d0eedd73067520df4761059f83d67d4a8025176112938380611732565b6112a360608601604087016117c7565b6112b06080870187611732565b886112be60c08a018a611732565b6040516112d2989796959493929190611985565b60405180910390a2505050565b600080604083850312156112f257600080fd5b50508035926020909101359150565b80356001600160a01b038116811461131857600080fd5b919050565b60006020828403121561132f57600080fd5b6105af82611301565b600060e0828403121561134a57600080fd5b50919050565b60006020828403121561136257600080fd5b81356001600160401b0381111561137857600080fd5b610b9184828501611338565b60005b8381101561139f578181015183820152602001611387565b50506000910152565b600081518084526113c0816020860160208601611384565b601f01601f19169290920160200192915050565b6020815260006105af60208301846113a8565b600080604083850312156113fa57600080fd5b82356001600160401b0381111561141057600080fd5b61141c85828601611338565b95602094909401359450505050565b60006020828403121561143d57600080fd5b5035919050565b60008083601f84011261145657600080fd5b5081356001600160401b0381111561146d57600080fd5b60208301915083602082850101111561148557600080fd5b9250929050565b60008083601f84011261149e57600080fd5b5081356001600160401b038111156114b557600080fd5b6020830191508360208260051b850101111561148557600080fd5b600080600080604085870312156114e657600080fd5b84356001600160401b038111156114fc57600080fd5b61150887828801611444565b90955093505060208501356001600160401b0381111561152757600080fd5b6115338782880161148c565b95989497509550505050565b602080825282518282018190526000918401906040840190835b818110156115805783516001600160a01b0316835260209384019390920191600101611559565b509095945050505050565b600080600080604085870312156115a157600080fd5b84356001600160401b038111156115b757600080fd5b6115088782880161148c565b602080825282518282018190526000918401906040840190835b8181101561158057835115158352602093840193909201916001016115dd565b6000806020838503121561161057600080fd5b82356001600160401b0381111561162657600080fd5b61163285828601611444565b90969095509350505050565b6000806040838503121561165157600080fd5b8235915061166160208401611301565b90509250929050565b600181811c9082168061167e57607f821691505b60208210810361134a57634e487b7160e01b600052602260045260246000fd5b6060815260006116b160608301866113a8565b6020830194909452506001600160a01b0391909116604090910152919050565b600082516116e3818460208701611384565b9190910192915050565b6000602082840312156116ff57600080fd5b5051919050565b634e487b7160e01b600052604160045260246000fd5b634e487b7160e01b600052603260045260246000fd5b6000808335601e1984360301811261174957600080fd5b8301803591506001600160401b0382111561176357600080fd5b60200191503681900382131561148557600080fd5b6000823560de198336030181126116e357600080fd5b634e487b7160e01b600052601160045260246000fd5b818103818111156104db576104db61178e565b8183823760009101908152919050565b6000602082840312156117d957600080fd5b81356001600160401b03811681146105af57600080fd5b736c696169736f6e2f7265636f72642d69642f763160601b815260f088901b6001600160f01b031916601482015285876016830137600086820161ffff60f01b8760f01b1660168201528486601883013760c09390931b6001600160c01b03191660189390940192830193909352506020019695505050505050565b81835281816020850137506000828201602090810191909152601f909101601f19169091010190565b8981526001600160401b038916602082015260c0604082015260006118be60c08301898b61186c565b82810360608401526118d181888a61186c565b905082810360808401526118e681868861186c565b9150508260a08301529a9950505050505050505050565b602081526000610b9160208301848661186c565b808201808211156104db576104db61178e565b6000808585111561193457600080fd5b8386111561194157600080fd5b5050820193919092039150565b803560208310156104db57600019602084900360031b1b1692915050565b60ff81811683821601908111156104db576104db61178e565b60a08152600061199960a083018a8c61186c565b6001600160401b038916602084015282810360408401526119bb81888a61186c565b905085606084015282810360808401526119d681858761186c565b9b9a505050505050505050505056fea164736f6c6343000825000a",
}

// Inbox is an auto generated Go binding around an Ethereum contract.
type Inbox struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Inbox) GetABI() abi.ABI {
	return c.abi
}

// NewInbox creates a new instance of Inbox.
func NewInbox() *Inbox {
	parsed, err := InboxMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Inbox{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Inbox) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string chainName_, address admin_, address[] attestors, uint256 threshold_) returns()
func (inbox *Inbox) PackConstructor(chainName_ string, admin_ common.Address, attestors []common.Address, threshold_ *big.Int) []byte {
	enc, err := inbox.abi.Pack("", chainName_, admin_, attestors, threshold_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAcceptAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0e18b681.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function acceptAdmin() returns()
func (inbox *Inbox) PackAcceptAdmin() []byte {
	enc, err := inbox.abi.Pack("acceptAdmin")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAcceptAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0e18b681.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function acceptAdmin() returns()
func (inbox *Inbox) TryPackAcceptAdmin() ([]byte, error) {
	return inbox.abi.Pack("acceptAdmin")
}

// PackAddAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe0cae635.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addAttestor(address attestor) returns()
func (inbox *Inbox) PackAddAttestor(attestor common.Address) []byte {
	enc, err := inbox.abi.Pack("addAttestor", attestor)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe0cae635.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addAttestor(address attestor) returns()
func (inbox *Inbox) TryPackAddAttestor(attestor common.Address) ([]byte, error) {
	return inbox.abi.Pack("addAttestor", attestor)
}

// PackAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf851a440.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function admin() view returns(address)
func (inbox *Inbox) PackAdmin() []byte {
	enc, err := inbox.abi.Pack("admin")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf851a440.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function admin() view returns(address)
func (inbox *Inbox) TryPackAdmin() ([]byte, error) {
	return inbox.abi.Pack("admin")
}

// UnpackAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf851a440.
//
// Solidity: function admin() view returns(address)
func (inbox *Inbox) UnpackAdmin(data []byte) (common.Address, error) {
	out, err := inbox.abi.Unpack("admin", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ac3dce0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attest((string,bytes,uint64,string,string,string,bytes) r, bytes32 evidenceHash) returns(bool delivered)
func (inbox *Inbox) PackAttest(r InboxRecord, evidenceHash [32]byte) []byte {
	enc, err := inbox.abi.Pack("attest", r, evidenceHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ac3dce0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attest((string,bytes,uint64,string,string,string,bytes) r, bytes32 evidenceHash) returns(bool delivered)
func (inbox *Inbox) TryPackAttest(r InboxRecord, evidenceHash [32]byte) ([]byte, error) {
	return inbox.abi.Pack("attest", r, evidenceHash)
}

// UnpackAttest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2ac3dce0.
//
// Solidity: function attest((string,bytes,uint64,string,string,string,bytes) r, bytes32 evidenceHash) returns(bool delivered)
func (inbox *Inbox) UnpackAttest(data []byte) (bool, error) {
	out, err := inbox.abi.Unpack("attest", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackAttestBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6a124b8c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestBatch((string,bytes,uint64,string,string,string,bytes)[] rs, bytes32[] evidenceHashes) returns(bool[] delivered)
func (inbox *Inbox) PackAttestBatch(rs []InboxRecord, evidenceHashes [][32]byte) []byte {
	enc, err := inbox.abi.Pack("attestBatch", rs, evidenceHashes)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6a124b8c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestBatch((string,bytes,uint64,string,string,string,bytes)[] rs, bytes32[] evidenceHashes) returns(bool[] delivered)
func (inbox *Inbox) TryPackAttestBatch(rs []InboxRecord, evidenceHashes [][32]byte) ([]byte, error) {
	return inbox.abi.Pack("attestBatch", rs, evidenceHashes)
}

// UnpackAttestBatch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6a124b8c.
//
// Solidity: function attestBatch((string,bytes,uint64,string,string,string,bytes)[] rs, bytes32[] evidenceHashes) returns(bool[] delivered)
func (inbox *Inbox) UnpackAttestBatch(data []byte) ([]bool, error) {
	out, err := inbox.abi.Unpack("attestBatch", data)
	if err != nil {
		return *new([]bool), err
	}
	out0 := *abi.ConvertType(out[0], new([]bool)).(*[]bool)
	return out0, nil
}

// PackAttestationDestination is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2d91b5fd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestationDestination() view returns(bytes32)
func (inbox *Inbox) PackAttestationDestination() []byte {
	enc, err := inbox.abi.Pack("attestationDestination")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestationDestination is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2d91b5fd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestationDestination() view returns(bytes32)
func (inbox *Inbox) TryPackAttestationDestination() ([]byte, error) {
	return inbox.abi.Pack("attestationDestination")
}

// UnpackAttestationDestination is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2d91b5fd.
//
// Solidity: function attestationDestination() view returns(bytes32)
func (inbox *Inbox) UnpackAttestationDestination(data []byte) ([32]byte, error) {
	out, err := inbox.abi.Unpack("attestationDestination", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAttestationOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb680b6e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestationOf(bytes32 id, address attestor) view returns(bytes32 digest)
func (inbox *Inbox) PackAttestationOf(id [32]byte, attestor common.Address) []byte {
	enc, err := inbox.abi.Pack("attestationOf", id, attestor)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestationOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb680b6e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestationOf(bytes32 id, address attestor) view returns(bytes32 digest)
func (inbox *Inbox) TryPackAttestationOf(id [32]byte, attestor common.Address) ([]byte, error) {
	return inbox.abi.Pack("attestationOf", id, attestor)
}

// UnpackAttestationOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfb680b6e.
//
// Solidity: function attestationOf(bytes32 id, address attestor) view returns(bytes32 digest)
func (inbox *Inbox) UnpackAttestationOf(data []byte) ([32]byte, error) {
	out, err := inbox.abi.Unpack("attestationOf", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAttestationSigners is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3cd0e28e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestationSigners(bytes data, bytes[] signatures) pure returns(address[] signers)
func (inbox *Inbox) PackAttestationSigners(data []byte, signatures [][]byte) []byte {
	enc, err := inbox.abi.Pack("attestationSigners", data, signatures)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestationSigners is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3cd0e28e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestationSigners(bytes data, bytes[] signatures) pure returns(address[] signers)
func (inbox *Inbox) TryPackAttestationSigners(data []byte, signatures [][]byte) ([]byte, error) {
	return inbox.abi.Pack("attestationSigners", data, signatures)
}

// UnpackAttestationSigners is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3cd0e28e.
//
// Solidity: function attestationSigners(bytes data, bytes[] signatures) pure returns(address[] signers)
func (inbox *Inbox) UnpackAttestationSigners(data []byte) ([]common.Address, error) {
	out, err := inbox.abi.Unpack("attestationSigners", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// PackAttestationSigningInput is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbc4b475e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestationSigningInput(bytes data) pure returns(bytes32)
func (inbox *Inbox) PackAttestationSigningInput(data []byte) []byte {
	enc, err := inbox.abi.Pack("attestationSigningInput", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestationSigningInput is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbc4b475e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestationSigningInput(bytes data) pure returns(bytes32)
func (inbox *Inbox) TryPackAttestationSigningInput(data []byte) ([]byte, error) {
	return inbox.abi.Pack("attestationSigningInput", data)
}

// UnpackAttestationSigningInput is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbc4b475e.
//
// Solidity: function attestationSigningInput(bytes data) pure returns(bytes32)
func (inbox *Inbox) UnpackAttestationSigningInput(data []byte) ([32]byte, error) {
	out, err := inbox.abi.Unpack("attestationSigningInput", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAttestorCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x631255f2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestorCount() view returns(uint256)
func (inbox *Inbox) PackAttestorCount() []byte {
	enc, err := inbox.abi.Pack("attestorCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestorCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x631255f2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestorCount() view returns(uint256)
func (inbox *Inbox) TryPackAttestorCount() ([]byte, error) {
	return inbox.abi.Pack("attestorCount")
}

// UnpackAttestorCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x631255f2.
//
// Solidity: function attestorCount() view returns(uint256)
func (inbox *Inbox) UnpackAttestorCount(data []byte) (*big.Int, error) {
	out, err := inbox.abi.Unpack("attestorCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackChainName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c93b03a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function chainName() view returns(string)
func (inbox *Inbox) PackChainName() []byte {
	enc, err := inbox.abi.Pack("chainName")
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
func (inbox *Inbox) TryPackChainName() ([]byte, error) {
	return inbox.abi.Pack("chainName")
}

// UnpackChainName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1c93b03a.
//
// Solidity: function chainName() view returns(string)
func (inbox *Inbox) UnpackChainName(data []byte) (string, error) {
	out, err := inbox.abi.Unpack("chainName", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackDeliveredDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x38c44117.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deliveredDigest(bytes32 id) view returns(bytes32 digest)
func (inbox *Inbox) PackDeliveredDigest(id [32]byte) []byte {
	enc, err := inbox.abi.Pack("deliveredDigest", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeliveredDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x38c44117.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deliveredDigest(bytes32 id) view returns(bytes32 digest)
func (inbox *Inbox) TryPackDeliveredDigest(id [32]byte) ([]byte, error) {
	return inbox.abi.Pack("deliveredDigest", id)
}

// UnpackDeliveredDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x38c44117.
//
// Solidity: function deliveredDigest(bytes32 id) view returns(bytes32 digest)
func (inbox *Inbox) UnpackDeliveredDigest(data []byte) ([32]byte, error) {
	out, err := inbox.abi.Unpack("deliveredDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDigestOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x169c7e58.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function digestOf((string,bytes,uint64,string,string,string,bytes) r) pure returns(bytes32)
func (inbox *Inbox) PackDigestOf(r InboxRecord) []byte {
	enc, err := inbox.abi.Pack("digestOf", r)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDigestOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x169c7e58.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function digestOf((string,bytes,uint64,string,string,string,bytes) r) pure returns(bytes32)
func (inbox *Inbox) TryPackDigestOf(r InboxRecord) ([]byte, error) {
	return inbox.abi.Pack("digestOf", r)
}

// UnpackDigestOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x169c7e58.
//
// Solidity: function digestOf((string,bytes,uint64,string,string,string,bytes) r) pure returns(bytes32)
func (inbox *Inbox) UnpackDigestOf(data []byte) ([32]byte, error) {
	out, err := inbox.abi.Unpack("digestOf", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackFirstDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9b146853.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function firstDigest(bytes32 id) view returns(bytes32 digest)
func (inbox *Inbox) PackFirstDigest(id [32]byte) []byte {
	enc, err := inbox.abi.Pack("firstDigest", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFirstDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9b146853.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function firstDigest(bytes32 id) view returns(bytes32 digest)
func (inbox *Inbox) TryPackFirstDigest(id [32]byte) ([]byte, error) {
	return inbox.abi.Pack("firstDigest", id)
}

// UnpackFirstDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9b146853.
//
// Solidity: function firstDigest(bytes32 id) view returns(bytes32 digest)
func (inbox *Inbox) UnpackFirstDigest(data []byte) ([32]byte, error) {
	out, err := inbox.abi.Unpack("firstDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackHasAttested is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbfd103fb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasAttested(bytes32 id, address who) view returns(bool)
func (inbox *Inbox) PackHasAttested(id [32]byte, who common.Address) []byte {
	enc, err := inbox.abi.Pack("hasAttested", id, who)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasAttested is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbfd103fb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasAttested(bytes32 id, address who) view returns(bool)
func (inbox *Inbox) TryPackHasAttested(id [32]byte, who common.Address) ([]byte, error) {
	return inbox.abi.Pack("hasAttested", id, who)
}

// UnpackHasAttested is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbfd103fb.
//
// Solidity: function hasAttested(bytes32 id, address who) view returns(bool)
func (inbox *Inbox) UnpackHasAttested(data []byte) (bool, error) {
	out, err := inbox.abi.Unpack("hasAttested", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e2f4e24.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isAttestor(address account) view returns(bool)
func (inbox *Inbox) PackIsAttestor(account common.Address) []byte {
	enc, err := inbox.abi.Pack("isAttestor", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e2f4e24.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isAttestor(address account) view returns(bool)
func (inbox *Inbox) TryPackIsAttestor(account common.Address) ([]byte, error) {
	return inbox.abi.Pack("isAttestor", account)
}

// UnpackIsAttestor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2e2f4e24.
//
// Solidity: function isAttestor(address account) view returns(bool)
func (inbox *Inbox) UnpackIsAttestor(data []byte) (bool, error) {
	out, err := inbox.abi.Unpack("isAttestor", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsDelivered is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe1526b46.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isDelivered(bytes32 id) view returns(bool)
func (inbox *Inbox) PackIsDelivered(id [32]byte) []byte {
	enc, err := inbox.abi.Pack("isDelivered", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsDelivered is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe1526b46.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isDelivered(bytes32 id) view returns(bool)
func (inbox *Inbox) TryPackIsDelivered(id [32]byte) ([]byte, error) {
	return inbox.abi.Pack("isDelivered", id)
}

// UnpackIsDelivered is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe1526b46.
//
// Solidity: function isDelivered(bytes32 id) view returns(bool)
func (inbox *Inbox) UnpackIsDelivered(data []byte) (bool, error) {
	out, err := inbox.abi.Unpack("isDelivered", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackPendingAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x26782247.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingAdmin() view returns(address)
func (inbox *Inbox) PackPendingAdmin() []byte {
	enc, err := inbox.abi.Pack("pendingAdmin")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x26782247.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingAdmin() view returns(address)
func (inbox *Inbox) TryPackPendingAdmin() ([]byte, error) {
	return inbox.abi.Pack("pendingAdmin")
}

// UnpackPendingAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x26782247.
//
// Solidity: function pendingAdmin() view returns(address)
func (inbox *Inbox) UnpackPendingAdmin(data []byte) (common.Address, error) {
	out, err := inbox.abi.Unpack("pendingAdmin", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackProposeAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x147bf6c4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function proposeAdmin(address proposed) returns()
func (inbox *Inbox) PackProposeAdmin(proposed common.Address) []byte {
	enc, err := inbox.abi.Pack("proposeAdmin", proposed)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProposeAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x147bf6c4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function proposeAdmin(address proposed) returns()
func (inbox *Inbox) TryPackProposeAdmin(proposed common.Address) ([]byte, error) {
	return inbox.abi.Pack("proposeAdmin", proposed)
}

// PackRemoveAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3912023.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeAttestor(address attestor) returns()
func (inbox *Inbox) PackRemoveAttestor(attestor common.Address) []byte {
	enc, err := inbox.abi.Pack("removeAttestor", attestor)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3912023.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeAttestor(address attestor) returns()
func (inbox *Inbox) TryPackRemoveAttestor(attestor common.Address) ([]byte, error) {
	return inbox.abi.Pack("removeAttestor", attestor)
}

// PackSetThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x960bfe04.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setThreshold(uint256 newThreshold) returns()
func (inbox *Inbox) PackSetThreshold(newThreshold *big.Int) []byte {
	enc, err := inbox.abi.Pack("setThreshold", newThreshold)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x960bfe04.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setThreshold(uint256 newThreshold) returns()
func (inbox *Inbox) TryPackSetThreshold(newThreshold *big.Int) ([]byte, error) {
	return inbox.abi.Pack("setThreshold", newThreshold)
}

// PackThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42cde4e8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function threshold() view returns(uint256)
func (inbox *Inbox) PackThreshold() []byte {
	enc, err := inbox.abi.Pack("threshold")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42cde4e8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function threshold() view returns(uint256)
func (inbox *Inbox) TryPackThreshold() ([]byte, error) {
	return inbox.abi.Pack("threshold")
}

// UnpackThreshold is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x42cde4e8.
//
// Solidity: function threshold() view returns(uint256)
func (inbox *Inbox) UnpackThreshold(data []byte) (*big.Int, error) {
	out, err := inbox.abi.Unpack("threshold", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackVotes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x03d9d48c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function votes(bytes32 id, bytes32 digest) view returns(uint256 count)
func (inbox *Inbox) PackVotes(id [32]byte, digest [32]byte) []byte {
	enc, err := inbox.abi.Pack("votes", id, digest)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVotes is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x03d9d48c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function votes(bytes32 id, bytes32 digest) view returns(uint256 count)
func (inbox *Inbox) TryPackVotes(id [32]byte, digest [32]byte) ([]byte, error) {
	return inbox.abi.Pack("votes", id, digest)
}

// UnpackVotes is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x03d9d48c.
//
// Solidity: function votes(bytes32 id, bytes32 digest) view returns(uint256 count)
func (inbox *Inbox) UnpackVotes(data []byte) (*big.Int, error) {
	out, err := inbox.abi.Unpack("votes", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// InboxAdminChanged represents a AdminChanged event raised by the Inbox contract.
type InboxAdminChanged struct {
	OldAdmin common.Address
	NewAdmin common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const InboxAdminChangedEventName = "AdminChanged"

// ContractEventName returns the user-defined event name.
func (InboxAdminChanged) ContractEventName() string {
	return InboxAdminChangedEventName
}

// UnpackAdminChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AdminChanged(address indexed oldAdmin, address indexed newAdmin)
func (inbox *Inbox) UnpackAdminChangedEvent(log *types.Log) (*InboxAdminChanged, error) {
	event := "AdminChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != inbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(InboxAdminChanged)
	if len(log.Data) > 0 {
		if err := inbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range inbox.abi.Events[event].Inputs {
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

// InboxAdminProposed represents a AdminProposed event raised by the Inbox contract.
type InboxAdminProposed struct {
	Admin    common.Address
	Proposed common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const InboxAdminProposedEventName = "AdminProposed"

// ContractEventName returns the user-defined event name.
func (InboxAdminProposed) ContractEventName() string {
	return InboxAdminProposedEventName
}

// UnpackAdminProposedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AdminProposed(address indexed admin, address indexed proposed)
func (inbox *Inbox) UnpackAdminProposedEvent(log *types.Log) (*InboxAdminProposed, error) {
	event := "AdminProposed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != inbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(InboxAdminProposed)
	if len(log.Data) > 0 {
		if err := inbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range inbox.abi.Events[event].Inputs {
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

// InboxAttestationConflict represents a AttestationConflict event raised by the Inbox contract.
type InboxAttestationConflict struct {
	Id             [32]byte
	Attestor       common.Address
	Digest         [32]byte
	ExistingDigest [32]byte
	Raw            *types.Log // Blockchain specific contextual infos
}

const InboxAttestationConflictEventName = "AttestationConflict"

// ContractEventName returns the user-defined event name.
func (InboxAttestationConflict) ContractEventName() string {
	return InboxAttestationConflictEventName
}

// UnpackAttestationConflictEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AttestationConflict(bytes32 indexed id, address indexed attestor, bytes32 digest, bytes32 existingDigest)
func (inbox *Inbox) UnpackAttestationConflictEvent(log *types.Log) (*InboxAttestationConflict, error) {
	event := "AttestationConflict"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != inbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(InboxAttestationConflict)
	if len(log.Data) > 0 {
		if err := inbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range inbox.abi.Events[event].Inputs {
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

// InboxAttested represents a Attested event raised by the Inbox contract.
type InboxAttested struct {
	Id           [32]byte
	Attestor     common.Address
	Digest       [32]byte
	EvidenceHash [32]byte
	Raw          *types.Log // Blockchain specific contextual infos
}

const InboxAttestedEventName = "Attested"

// ContractEventName returns the user-defined event name.
func (InboxAttested) ContractEventName() string {
	return InboxAttestedEventName
}

// UnpackAttestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Attested(bytes32 indexed id, address indexed attestor, bytes32 digest, bytes32 evidenceHash)
func (inbox *Inbox) UnpackAttestedEvent(log *types.Log) (*InboxAttested, error) {
	event := "Attested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != inbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(InboxAttested)
	if len(log.Data) > 0 {
		if err := inbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range inbox.abi.Events[event].Inputs {
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

// InboxAttestorAdded represents a AttestorAdded event raised by the Inbox contract.
type InboxAttestorAdded struct {
	Attestor common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const InboxAttestorAddedEventName = "AttestorAdded"

// ContractEventName returns the user-defined event name.
func (InboxAttestorAdded) ContractEventName() string {
	return InboxAttestorAddedEventName
}

// UnpackAttestorAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AttestorAdded(address indexed attestor)
func (inbox *Inbox) UnpackAttestorAddedEvent(log *types.Log) (*InboxAttestorAdded, error) {
	event := "AttestorAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != inbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(InboxAttestorAdded)
	if len(log.Data) > 0 {
		if err := inbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range inbox.abi.Events[event].Inputs {
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

// InboxAttestorRemoved represents a AttestorRemoved event raised by the Inbox contract.
type InboxAttestorRemoved struct {
	Attestor common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const InboxAttestorRemovedEventName = "AttestorRemoved"

// ContractEventName returns the user-defined event name.
func (InboxAttestorRemoved) ContractEventName() string {
	return InboxAttestorRemovedEventName
}

// UnpackAttestorRemovedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AttestorRemoved(address indexed attestor)
func (inbox *Inbox) UnpackAttestorRemovedEvent(log *types.Log) (*InboxAttestorRemoved, error) {
	event := "AttestorRemoved"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != inbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(InboxAttestorRemoved)
	if len(log.Data) > 0 {
		if err := inbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range inbox.abi.Events[event].Inputs {
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

// InboxRecordDelivered represents a RecordDelivered event raised by the Inbox contract.
type InboxRecordDelivered struct {
	Id          [32]byte
	SourceChain string
	Sequence    uint64
	Receiver    string
	Digest      [32]byte
	Payload     []byte
	Raw         *types.Log // Blockchain specific contextual infos
}

const InboxRecordDeliveredEventName = "RecordDelivered"

// ContractEventName returns the user-defined event name.
func (InboxRecordDelivered) ContractEventName() string {
	return InboxRecordDeliveredEventName
}

// UnpackRecordDeliveredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RecordDelivered(bytes32 indexed id, string sourceChain, uint64 sequence, string receiver, bytes32 digest, bytes payload)
func (inbox *Inbox) UnpackRecordDeliveredEvent(log *types.Log) (*InboxRecordDelivered, error) {
	event := "RecordDelivered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != inbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(InboxRecordDelivered)
	if len(log.Data) > 0 {
		if err := inbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range inbox.abi.Events[event].Inputs {
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

// InboxThresholdChanged represents a ThresholdChanged event raised by the Inbox contract.
type InboxThresholdChanged struct {
	OldThreshold *big.Int
	NewThreshold *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const InboxThresholdChangedEventName = "ThresholdChanged"

// ContractEventName returns the user-defined event name.
func (InboxThresholdChanged) ContractEventName() string {
	return InboxThresholdChangedEventName
}

// UnpackThresholdChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ThresholdChanged(uint256 oldThreshold, uint256 newThreshold)
func (inbox *Inbox) UnpackThresholdChangedEvent(log *types.Log) (*InboxThresholdChanged, error) {
	event := "ThresholdChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != inbox.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(InboxThresholdChanged)
	if len(log.Data) > 0 {
		if err := inbox.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range inbox.abi.Events[event].Inputs {
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
func (inbox *Inbox) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], inbox.abi.Errors["AlreadyAttestor"].ID.Bytes()[:4]) {
		return inbox.UnpackAlreadyAttestorError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["BadSignature"].ID.Bytes()[:4]) {
		return inbox.UnpackBadSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["BelowThreshold"].ID.Bytes()[:4]) {
		return inbox.UnpackBelowThresholdError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["EmptyChainName"].ID.Bytes()[:4]) {
		return inbox.UnpackEmptyChainNameError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["FieldTooLong"].ID.Bytes()[:4]) {
		return inbox.UnpackFieldTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["InvalidThreshold"].ID.Bytes()[:4]) {
		return inbox.UnpackInvalidThresholdError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["LengthMismatch"].ID.Bytes()[:4]) {
		return inbox.UnpackLengthMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["NotAdmin"].ID.Bytes()[:4]) {
		return inbox.UnpackNotAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["NotAttestor"].ID.Bytes()[:4]) {
		return inbox.UnpackNotAttestorError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["NotPendingAdmin"].ID.Bytes()[:4]) {
		return inbox.UnpackNotPendingAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["UnknownAttestor"].ID.Bytes()[:4]) {
		return inbox.UnpackUnknownAttestorError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["WrongDestination"].ID.Bytes()[:4]) {
		return inbox.UnpackWrongDestinationError(raw[4:])
	}
	if bytes.Equal(raw[:4], inbox.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return inbox.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// InboxAlreadyAttestor represents a AlreadyAttestor error raised by the Inbox contract.
type InboxAlreadyAttestor struct {
	Attestor common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyAttestor(address attestor)
func InboxAlreadyAttestorErrorID() common.Hash {
	return common.HexToHash("0x59432012829b8288d98cb8b6884c559b2d8be30e5cb0bf0de19c5a64087a952e")
}

// UnpackAlreadyAttestorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyAttestor(address attestor)
func (inbox *Inbox) UnpackAlreadyAttestorError(raw []byte) (*InboxAlreadyAttestor, error) {
	out := new(InboxAlreadyAttestor)
	if err := inbox.abi.UnpackIntoInterface(out, "AlreadyAttestor", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxBadSignature represents a BadSignature error raised by the Inbox contract.
type InboxBadSignature struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadSignature(uint256 index)
func InboxBadSignatureErrorID() common.Hash {
	return common.HexToHash("0xa1c973190ea39240abfd4da3039e0d94cea4d1e689acfee87f4e7dbabee0f307")
}

// UnpackBadSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadSignature(uint256 index)
func (inbox *Inbox) UnpackBadSignatureError(raw []byte) (*InboxBadSignature, error) {
	out := new(InboxBadSignature)
	if err := inbox.abi.UnpackIntoInterface(out, "BadSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxBelowThreshold represents a BelowThreshold error raised by the Inbox contract.
type InboxBelowThreshold struct {
	Remaining *big.Int
	Threshold *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BelowThreshold(uint256 remaining, uint256 threshold)
func InboxBelowThresholdErrorID() common.Hash {
	return common.HexToHash("0x8b05c814296d98f4f07b3bc12cb7a432374a44716d3cdbb2055265f66227d36f")
}

// UnpackBelowThresholdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BelowThreshold(uint256 remaining, uint256 threshold)
func (inbox *Inbox) UnpackBelowThresholdError(raw []byte) (*InboxBelowThreshold, error) {
	out := new(InboxBelowThreshold)
	if err := inbox.abi.UnpackIntoInterface(out, "BelowThreshold", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxEmptyChainName represents a EmptyChainName error raised by the Inbox contract.
type InboxEmptyChainName struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyChainName()
func InboxEmptyChainNameErrorID() common.Hash {
	return common.HexToHash("0xd3bbdc451083c82696a83e80f6fa338f2a81b9c2e663cd577a75b06bf6410be0")
}

// UnpackEmptyChainNameError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyChainName()
func (inbox *Inbox) UnpackEmptyChainNameError(raw []byte) (*InboxEmptyChainName, error) {
	out := new(InboxEmptyChainName)
	if err := inbox.abi.UnpackIntoInterface(out, "EmptyChainName", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxFieldTooLong represents a FieldTooLong error raised by the Inbox contract.
type InboxFieldTooLong struct {
	Length *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FieldTooLong(uint256 length)
func InboxFieldTooLongErrorID() common.Hash {
	return common.HexToHash("0x18d04a9a71dc2c339bd6209efe14cb10d782b49856213a5ee5945dd5ad30efc7")
}

// UnpackFieldTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FieldTooLong(uint256 length)
func (inbox *Inbox) UnpackFieldTooLongError(raw []byte) (*InboxFieldTooLong, error) {
	out := new(InboxFieldTooLong)
	if err := inbox.abi.UnpackIntoInterface(out, "FieldTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxInvalidThreshold represents a InvalidThreshold error raised by the Inbox contract.
type InboxInvalidThreshold struct {
	Threshold     *big.Int
	AttestorCount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidThreshold(uint256 threshold, uint256 attestorCount)
func InboxInvalidThresholdErrorID() common.Hash {
	return common.HexToHash("0x7b7a98f144b22ac349117faf884147efe6b9d8f459322b9ed0cb76310884f093")
}

// UnpackInvalidThresholdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidThreshold(uint256 threshold, uint256 attestorCount)
func (inbox *Inbox) UnpackInvalidThresholdError(raw []byte) (*InboxInvalidThreshold, error) {
	out := new(InboxInvalidThreshold)
	if err := inbox.abi.UnpackIntoInterface(out, "InvalidThreshold", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxLengthMismatch represents a LengthMismatch error raised by the Inbox contract.
type InboxLengthMismatch struct {
	Records        *big.Int
	EvidenceHashes *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error LengthMismatch(uint256 records, uint256 evidenceHashes)
func InboxLengthMismatchErrorID() common.Hash {
	return common.HexToHash("0xab8b67c6893c59617ef3ba4b4b942e9791f2572db2fdb32028356532f3b7396a")
}

// UnpackLengthMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error LengthMismatch(uint256 records, uint256 evidenceHashes)
func (inbox *Inbox) UnpackLengthMismatchError(raw []byte) (*InboxLengthMismatch, error) {
	out := new(InboxLengthMismatch)
	if err := inbox.abi.UnpackIntoInterface(out, "LengthMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxNotAdmin represents a NotAdmin error raised by the Inbox contract.
type InboxNotAdmin struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAdmin(address caller)
func InboxNotAdminErrorID() common.Hash {
	return common.HexToHash("0x17a8424239494df835a470bd5e48f10a94b5febfef662a1917fe31decebbedeb")
}

// UnpackNotAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAdmin(address caller)
func (inbox *Inbox) UnpackNotAdminError(raw []byte) (*InboxNotAdmin, error) {
	out := new(InboxNotAdmin)
	if err := inbox.abi.UnpackIntoInterface(out, "NotAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxNotAttestor represents a NotAttestor error raised by the Inbox contract.
type InboxNotAttestor struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAttestor(address caller)
func InboxNotAttestorErrorID() common.Hash {
	return common.HexToHash("0x6ae28ec9671c694a3ad549b95511da51bc48bb0398b8fdd6414818fa60743fb1")
}

// UnpackNotAttestorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAttestor(address caller)
func (inbox *Inbox) UnpackNotAttestorError(raw []byte) (*InboxNotAttestor, error) {
	out := new(InboxNotAttestor)
	if err := inbox.abi.UnpackIntoInterface(out, "NotAttestor", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxNotPendingAdmin represents a NotPendingAdmin error raised by the Inbox contract.
type InboxNotPendingAdmin struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPendingAdmin(address caller)
func InboxNotPendingAdminErrorID() common.Hash {
	return common.HexToHash("0x1d0022d1e4e0a848404922419aaf414bac4ac43f3cccfa7226d53c460353f2e4")
}

// UnpackNotPendingAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPendingAdmin(address caller)
func (inbox *Inbox) UnpackNotPendingAdminError(raw []byte) (*InboxNotPendingAdmin, error) {
	out := new(InboxNotPendingAdmin)
	if err := inbox.abi.UnpackIntoInterface(out, "NotPendingAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxUnknownAttestor represents a UnknownAttestor error raised by the Inbox contract.
type InboxUnknownAttestor struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownAttestor(address account)
func InboxUnknownAttestorErrorID() common.Hash {
	return common.HexToHash("0xd5bd637fa7d6c7f66c042c24ef3dcb554aa9321e26f11e4f46a594dfd9557093")
}

// UnpackUnknownAttestorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownAttestor(address account)
func (inbox *Inbox) UnpackUnknownAttestorError(raw []byte) (*InboxUnknownAttestor, error) {
	out := new(InboxUnknownAttestor)
	if err := inbox.abi.UnpackIntoInterface(out, "UnknownAttestor", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxWrongDestination represents a WrongDestination error raised by the Inbox contract.
type InboxWrongDestination struct {
	Destination string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongDestination(string destination)
func InboxWrongDestinationErrorID() common.Hash {
	return common.HexToHash("0x23ab1f5485032b9eb4a8eae55ac60bd3c7f4438509a87ae95a301e4f4e22948a")
}

// UnpackWrongDestinationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongDestination(string destination)
func (inbox *Inbox) UnpackWrongDestinationError(raw []byte) (*InboxWrongDestination, error) {
	out := new(InboxWrongDestination)
	if err := inbox.abi.UnpackIntoInterface(out, "WrongDestination", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// InboxZeroAddress represents a ZeroAddress error raised by the Inbox contract.
type InboxZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func InboxZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (inbox *Inbox) UnpackZeroAddressError(raw []byte) (*InboxZeroAddress, error) {
	out := new(InboxZeroAddress)
	if err := inbox.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}
