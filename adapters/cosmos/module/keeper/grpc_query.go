package keeper

import (
	"context"
	"strconv"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/liaison-gw/liaison/adapters/cosmos/module/types"
)

type querier struct{ k *Keeper }

// NewQueryServer returns the module's Query service. Lookups of a record
// that does not exist return gRPC code NotFound; malformed IDs return
// InvalidArgument.
func NewQueryServer(k *Keeper) types.QueryServer { return querier{k: k} }

var _ types.QueryServer = querier{}

func (q querier) Params(goCtx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.GetParams(sdk.UnwrapSDKContext(goCtx))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q querier) NextSequence(goCtx context.Context, _ *types.QueryNextSequenceRequest) (*types.QueryNextSequenceResponse, error) {
	n, err := q.k.NextSequence(sdk.UnwrapSDKContext(goCtx))
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryNextSequenceResponse{NextSequence: n}, nil
}

func (q querier) Published(goCtx context.Context, req *types.QueryPublishedRequest) (*types.QueryPublishedResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	id, err := types.ParseRecordID(req.Id)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	p, found, err := q.k.GetPublished(sdk.UnwrapSDKContext(goCtx), id)
	return publishedResponse(p, found, err, id.String())
}

func (q querier) PublishedBySequence(goCtx context.Context, req *types.QueryPublishedBySequenceRequest) (*types.QueryPublishedResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, found, err := q.k.GetPublishedBySequence(sdk.UnwrapSDKContext(goCtx), req.Sequence)
	return publishedResponse(p, found, err, "with sequence "+strconv.FormatUint(req.Sequence, 10))
}

func publishedResponse(p types.PublishedRecord, found bool, err error, what string) (*types.QueryPublishedResponse, error) {
	switch {
	case err != nil:
		return nil, status.Error(codes.Internal, err.Error())
	case !found:
		return nil, status.Errorf(codes.NotFound, "%s: published record %s", types.ErrNotFound, what)
	}
	return &types.QueryPublishedResponse{Published: p}, nil
}

func (q querier) Delivered(goCtx context.Context, req *types.QueryDeliveredRequest) (*types.QueryDeliveredResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	id, err := types.ParseRecordID(req.Id)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	d, found, err := q.k.GetDelivered(sdk.UnwrapSDKContext(goCtx), id)
	switch {
	case err != nil:
		return nil, status.Error(codes.Internal, err.Error())
	case !found:
		return nil, status.Errorf(codes.NotFound, "%s: delivered record %s", types.ErrNotFound, id)
	}
	return &types.QueryDeliveredResponse{Delivered: d}, nil
}
