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
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"chainName_\",\"type\":\"string\"},{\"internalType\":\"address\",\"name\":\"admin_\",\"type\":\"address\"},{\"internalType\":\"address[]\",\"name\":\"attestors\",\"type\":\"address[]\"},{\"internalType\":\"uint256\",\"name\":\"threshold_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"AlreadyAttestor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"remaining\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"threshold\",\"type\":\"uint256\"}],\"name\":\"BelowThreshold\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyChainName\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"FieldTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"threshold\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"attestorCount\",\"type\":\"uint256\"}],\"name\":\"InvalidThreshold\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"records\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"evidenceHashes\",\"type\":\"uint256\"}],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAttestor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotPendingAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"UnknownAttestor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"}],\"name\":\"WrongDestination\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"oldAdmin\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newAdmin\",\"type\":\"address\"}],\"name\":\"AdminChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"proposed\",\"type\":\"address\"}],\"name\":\"AdminProposed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"existingDigest\",\"type\":\"bytes32\"}],\"name\":\"AttestationConflict\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"evidenceHash\",\"type\":\"bytes32\"}],\"name\":\"Attested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"AttestorAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"AttestorRemoved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"sourceChain\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"name\":\"RecordDelivered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"oldThreshold\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"newThreshold\",\"type\":\"uint256\"}],\"name\":\"ThresholdChanged\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"acceptAdmin\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"addAttestor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"admin\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"sourceChain\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"emitter\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structInbox.Record\",\"name\":\"r\",\"type\":\"tuple\"},{\"internalType\":\"bytes32\",\"name\":\"evidenceHash\",\"type\":\"bytes32\"}],\"name\":\"attest\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"delivered\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"sourceChain\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"emitter\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structInbox.Record[]\",\"name\":\"rs\",\"type\":\"tuple[]\"},{\"internalType\":\"bytes32[]\",\"name\":\"evidenceHashes\",\"type\":\"bytes32[]\"}],\"name\":\"attestBatch\",\"outputs\":[{\"internalType\":\"bool[]\",\"name\":\"delivered\",\"type\":\"bool[]\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"attestationOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"attestorCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"chainName\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"deliveredDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"sourceChain\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"emitter\",\"type\":\"bytes\"},{\"internalType\":\"uint64\",\"name\":\"sequence\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"destination\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"receiver\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"contentType\",\"type\":\"string\"},{\"internalType\":\"bytes\",\"name\":\"payload\",\"type\":\"bytes\"}],\"internalType\":\"structInbox.Record\",\"name\":\"r\",\"type\":\"tuple\"}],\"name\":\"digestOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"firstDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"who\",\"type\":\"address\"}],\"name\":\"hasAttested\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"isAttestor\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"}],\"name\":\"isDelivered\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingAdmin\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"proposed\",\"type\":\"address\"}],\"name\":\"proposeAdmin\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"removeAttestor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"newThreshold\",\"type\":\"uint256\"}],\"name\":\"setThreshold\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"threshold\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"id\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"}],\"name\":\"votes\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"count\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Inbox",
	Bin: "0x60a060405234801561001057600080fd5b506040516119f53803806119f583398101604081905261002f91610373565b83516000036100515760405163d3bbdc4560e01b815260040160405180910390fd5b6001600160a01b0383166100785760405163d92e233d60e01b815260040160405180910390fd5b600961008485826104fb565b5083516020850120608052600780546001600160a01b0319166001600160a01b0385169081179091556040516000907f7e644d79422f17c01e4894b5f4f588d331ebfa28653d42ae832dc59e38c9798f908290a360005b82518110156101145761010c8382815181106100f9576100f96105bd565b602002602001015161012760201b60201c565b6001016100db565b5061011e8161020d565b505050506105fa565b6001600160a01b03811661014e5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b03811660009081526004602052604090205460ff161561019857604051632ca1900960e11b81526001600160a01b03821660048201526024015b60405180910390fd5b6001600160a01b0381166000908152600460205260408120805460ff1916600190811790915560058054919290916101d19084906105d3565b90915550506040516001600160a01b038216907f945c4a21d3fce955d17e31fcc471734b3d754c032b3805b02fe75d89c29b2a3a90600090a250565b80158061021b575060055481115b1561024757600554604051637b7a98f160e01b815261018f918391600401918252602082015260400190565b60065460408051918252602082018390527f3164947cf0f49f08dd0cd80e671535b1e11590d347c55dcaa97ba3c24a96b33a910160405180910390a1600655565b634e487b7160e01b600052604160045260246000fd5b604051601f8201601f191681016001600160401b03811182821017156102c6576102c6610288565b604052919050565b80516001600160a01b03811681146102e557600080fd5b919050565b600082601f8301126102fb57600080fd5b81516001600160401b0381111561031457610314610288565b8060051b6103246020820161029e565b9182526020818501810192908101908684111561034057600080fd5b6020860192505b8383101561036957610358836102ce565b825260209283019290910190610347565b9695505050505050565b6000806000806080858703121561038957600080fd5b84516001600160401b0381111561039f57600080fd5b8501601f810187136103b057600080fd5b80516001600160401b038111156103c9576103c9610288565b6103dc601f8201601f191660200161029e565b8181528860208385010111156103f157600080fd5b60005b82811015610410576020818501810151838301820152016103f4565b5060006020838301015280965050505061042c602086016102ce565b60408601519093506001600160401b0381111561044857600080fd5b610454878288016102ea565b606096909601519497939650505050565b600181811c9082168061047957607f821691505b60208210810361049957634e487b7160e01b600052602260045260246000fd5b50919050565b601f8211156104f657828211156104f657806000526020600020601f840160051c60208510156104cd575060005b90810190601f840160051c0360005b818110156104f2576000838201556001016104dc565b5050505b505050565b81516001600160401b0381111561051457610514610288565b610528816105228454610465565b8461049f565b6020601f82116001811461055c57600083156105445750848201515b600019600385901b1c1916600184901b1784556105b6565b600084815260208120601f198516915b8281101561058c578785015182556020948501946001909201910161056c565b50848210156105aa5786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b634e487b7160e01b600052603260045260246000fd5b808201808211156105f457634e487b7160e01b600052601160045260246000fd5b92915050565b6080516113e061061560003960006109d701526113e06000f3fe608060405234801561001057600080fd5b506004361061012c5760003560e01c8063631255f2116100ad578063bfd103fb11610071578063bfd103fb146102bd578063e0cae635146102f5578063e1526b4614610308578063f851a4401461032a578063fb680b6e1461033d57600080fd5b8063631255f21461024e5780636a124b8c14610257578063960bfe04146102775780639b1468531461028a578063b3912023146102aa57600080fd5b806326782247116100f457806326782247146101b45780632ac3dce0146101df5780632e2f4e241461020257806338c441171461022557806342cde4e81461024557600080fd5b806303d9d48c146101315780630e18b6811461016f578063147bf6c414610179578063169c7e581461018c5780631c93b03a1461019f575b600080fd5b61015c61013f366004610e5f565b600160209081526000928352604080842090915290825290205481565b6040519081526020015b60405180910390f35b610177610368565b005b610177610187366004610e9d565b6103f2565b61015c61019a366004610ed0565b61046b565b6101a7610485565b6040516101669190610f29565b6008546101c7906001600160a01b031681565b6040516001600160a01b039091168152602001610166565b6101f26101ed366004610f5c565b610517565b6040519015158152602001610166565b6101f2610210366004610e9d565b60046020526000908152604090205460ff1681565b61015c610233366004610fa1565b60006020819052908152604090205481565b61015c60065481565b61015c60055481565b61026a610265366004611006565b61055a565b6040516101669190611077565b610177610285366004610fa1565b610681565b61015c610298366004610fa1565b60036020526000908152604090205481565b6101776102b8366004610e9d565b6106ba565b6101f26102cb3660046110bc565b60009182526002602090815260408084206001600160a01b03939093168452919052902054151590565b610177610303366004610e9d565b6107be565b6101f2610316366004610fa1565b600090815260208190526040902054151590565b6007546101c7906001600160a01b031681565b61015c61034b3660046110bc565b600260209081526000928352604080842090915290825290205481565b6008546001600160a01b0316331461039a57604051631d0022d160e01b81523360048201526024015b60405180910390fd5b60075460405133916001600160a01b0316907f7e644d79422f17c01e4894b5f4f588d331ebfa28653d42ae832dc59e38c9798f90600090a3600780546001600160a01b03199081163317909155600880549091169055565b6007546001600160a01b0316331461041f57604051630bd4212160e11b8152336004820152602401610391565b600880546001600160a01b0319166001600160a01b03831690811790915560405133907ffd22260ca7b3d2a5f6332770491ab546b6235bc73909c334f5e304d2fae455b190600090a350565b600061047f610479836107f4565b83610906565b92915050565b606060098054610494906110e8565b80601f01602080910402602001604051908101604052809291908181526020018280546104c0906110e8565b801561050d5780601f106104e25761010080835404028352916020019161050d565b820191906000526020600020905b8154815290600101906020018083116104f057829003601f168201915b5050505050905090565b3360009081526004602052604081205460ff1661054957604051636ae28ec960e01b8152336004820152602401610391565b61055383836109d3565b9392505050565b3360009081526004602052604090205460609060ff1661058f57604051636ae28ec960e01b8152336004820152602401610391565b8382146105b9576040516355c5b3e360e11b81526004810185905260248101839052604401610391565b8367ffffffffffffffff8111156105d2576105d261111c565b6040519080825280602002602001820160405280156105fb578160200160208202803683370190505b50905060005b848110156106785761064e86868381811061061e5761061e611132565b90506020028101906106309190611148565b85858481811061064257610642611132565b905060200201356109d3565b82828151811061066057610660611132565b91151560209283029190910190910152600101610601565b50949350505050565b6007546001600160a01b031633146106ae57604051630bd4212160e11b8152336004820152602401610391565b6106b781610c7a565b50565b6007546001600160a01b031633146106e757604051630bd4212160e11b8152336004820152602401610391565b6001600160a01b03811660009081526004602052604090205460ff1661072b5760405163d5bd637f60e01b81526001600160a01b0382166004820152602401610391565b6000600160055461073c919061117e565b905060065481101561076f576006546040516322c1720560e21b8152610391918391600401918252602082015260400190565b6001600160a01b038216600081815260046020526040808220805460ff191690556005849055517f7b1e5155c9ac76eaa3c56fcf63a3383cd696a6fa84c49901c7ae374c0a5086129190a25050565b6007546001600160a01b031633146107eb57604051630bd4212160e11b8152336004820152602401610391565b6106b781610cf5565b6000806108018380611191565b9150600090506108146020850185611191565b91505061ffff82111561083d57604051630c68254d60e11b815260048101839052602401610391565b61ffff81111561086357604051630c68254d60e11b815260048101829052602401610391565b6002826108708680611191565b8461087e60208a018a611191565b61088e60608c0160408d016111d8565b6040516020016108a49796959493929190611202565b60408051601f19818403018152908290526108be9161127e565b602060405180830381855afa1580156108db573d6000803e3d6000fd5b5050506040513d601f19601f820116820180604052508101906108fe9190611290565b949350505050565b60008261091960608401604085016111d8565b6109266060850185611191565b6109336080870187611191565b61094060a0890189611191565b600261094f60c08c018c611191565b60405161095d9291906112a9565b602060405180830381855afa15801561097a573d6000803e3d6000fd5b5050506040513d601f19601f8201168201806040525081019061099d9190611290565b6040516020016109b5999897969594939291906112e2565b60405160208183030381529060405280519060200120905092915050565b60007f0000000000000000000000000000000000000000000000000000000000000000610a036060850185611191565b604051610a119291906112a9565b604051809103902014610a4657610a2b6060840184611191565b6040516308eac7d560e21b815260040161039192919061134b565b6000610a51846107f4565b90506000610a5f8286610906565b6000838152602081905260409020549091508015610ad357818103610a8a576001935050505061047f565b6040805183815260208101839052339185917f68b03b7aa22fdc87051c89683ad79275cf51f9ceaa8c3ee1728eb63717c4c4ef910160405180910390a36000935050505061047f565b60008381526002602090815260408083203384529091529020548015610b4557828114610b38576040805184815260208101839052339186917f68b03b7aa22fdc87051c89683ad79275cf51f9ceaa8c3ee1728eb63717c4c4ef910160405180910390a35b600094505050505061047f565b600084815260026020908152604080832033845282528083208690558683526001808352818420878552909252822054610b7e9161135f565b600086815260016020908152604080832088845282529182902083905581518781529081018a9052919250339187917f4f8853b214b025e88f48d874b6c95ff8a15383653e1400ef6bf26f7d06dd7fa3910160405180910390a360008581526003602052604090205480610c02576000868152600360205260409020859055610c47565b848114610c47576040805186815260208101839052339188917f68b03b7aa22fdc87051c89683ad79275cf51f9ceaa8c3ee1728eb63717c4c4ef910160405180910390a35b600654821015610c60576000965050505050505061047f565b610c6b86868b610dd6565b50600198975050505050505050565b801580610c88575060055481115b15610cb457600554604051637b7a98f160e01b8152610391918391600401918252602082015260400190565b60065460408051918252602082018390527f3164947cf0f49f08dd0cd80e671535b1e11590d347c55dcaa97ba3c24a96b33a910160405180910390a1600655565b6001600160a01b038116610d1c5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b03811660009081526004602052604090205460ff1615610d6157604051632ca1900960e11b81526001600160a01b0382166004820152602401610391565b6001600160a01b0381166000908152600460205260408120805460ff191660019081179091556005805491929091610d9a90849061135f565b90915550506040516001600160a01b038216907f945c4a21d3fce955d17e31fcc471734b3d754c032b3805b02fe75d89c29b2a3a90600090a250565b6000838152602081905260409020829055827fccd6bab29ad0c01ecfcbbe5f09d0eedd73067520df4761059f83d67d4a802517610e138380611191565b610e2360608601604087016111d8565b610e306080870187611191565b88610e3e60c08a018a611191565b604051610e52989796959493929190611372565b60405180910390a2505050565b60008060408385031215610e7257600080fd5b50508035926020909101359150565b80356001600160a01b0381168114610e9857600080fd5b919050565b600060208284031215610eaf57600080fd5b61055382610e81565b600060e08284031215610eca57600080fd5b50919050565b600060208284031215610ee257600080fd5b813567ffffffffffffffff811115610ef957600080fd5b6108fe84828501610eb8565b60005b83811015610f20578181015183820152602001610f08565b50506000910152565b6020815260008251806020840152610f48816040850160208701610f05565b601f01601f19169190910160400192915050565b60008060408385031215610f6f57600080fd5b823567ffffffffffffffff811115610f8657600080fd5b610f9285828601610eb8565b95602094909401359450505050565b600060208284031215610fb357600080fd5b5035919050565b60008083601f840112610fcc57600080fd5b50813567ffffffffffffffff811115610fe457600080fd5b6020830191508360208260051b8501011115610fff57600080fd5b9250929050565b6000806000806040858703121561101c57600080fd5b843567ffffffffffffffff81111561103357600080fd5b61103f87828801610fba565b909550935050602085013567ffffffffffffffff81111561105f57600080fd5b61106b87828801610fba565b95989497509550505050565b602080825282518282018190526000918401906040840190835b818110156110b15783511515835260209384019390920191600101611091565b509095945050505050565b600080604083850312156110cf57600080fd5b823591506110df60208401610e81565b90509250929050565b600181811c908216806110fc57607f821691505b602082108103610eca57634e487b7160e01b600052602260045260246000fd5b634e487b7160e01b600052604160045260246000fd5b634e487b7160e01b600052603260045260246000fd5b6000823560de1983360301811261115e57600080fd5b9190910192915050565b634e487b7160e01b600052601160045260246000fd5b8181038181111561047f5761047f611168565b6000808335601e198436030181126111a857600080fd5b83018035915067ffffffffffffffff8211156111c357600080fd5b602001915036819003821315610fff57600080fd5b6000602082840312156111ea57600080fd5b813567ffffffffffffffff8116811461055357600080fd5b736c696169736f6e2f7265636f72642d69642f763160601b815260f088901b6001600160f01b031916601482015285876016830137600086820161ffff60f01b8760f01b1660168201528486601883013760c09390931b6001600160c01b03191660189390940192830193909352506020019695505050505050565b6000825161115e818460208701610f05565b6000602082840312156112a257600080fd5b5051919050565b8183823760009101908152919050565b81835281816020850137506000828201602090810191909152601f909101601f19169091010190565b89815267ffffffffffffffff8916602082015260c06040820152600061130c60c08301898b6112b9565b828103606084015261131f81888a6112b9565b905082810360808401526113348186886112b9565b9150508260a08301529a9950505050505050505050565b6020815260006108fe6020830184866112b9565b8082018082111561047f5761047f611168565b60a08152600061138660a083018a8c6112b9565b67ffffffffffffffff8916602084015282810360408401526113a981888a6112b9565b905085606084015282810360808401526113c48185876112b9565b9b9a505050505050505050505056fea164736f6c6343000825000a",
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
