package auth

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
)

// MeOutput is the signed-in user.
type MeOutput struct {
	Body User
}

// TokenListOutput lists the caller's API tokens.
type TokenListOutput struct {
	Body struct {
		Items []Token `json:"items"`
	}
}

// TokenCreateInput creates an API token.
type TokenCreateInput struct {
	Body struct {
		Name      string     `json:"name" minLength:"1" maxLength:"100" doc:"What the token is for"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When the token stops working; omit for no end"`
	}
}

// TokenCreateOutput returns the new token; the secret is shown only here.
type TokenCreateOutput struct {
	Body struct {
		Token
		Secret string `json:"secret" doc:"The token itself; send it as Authorization: Bearer <secret>. Shown only once."`
	}
}

// TokenIDInput names one of the caller's tokens.
type TokenIDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

// UserListOutput lists accounts.
type UserListOutput struct {
	Body struct {
		Items []User `json:"items"`
	}
}

// UserCreateInput creates an account.
type UserCreateInput struct {
	Body struct {
		Username    string        `json:"username" minLength:"2" maxLength:"40"`
		DisplayName string        `json:"display_name" minLength:"1" maxLength:"200"`
		Email       string        `json:"email,omitempty" maxLength:"254"`
		Password    string        `json:"password" minLength:"1" maxLength:"256" doc:"At least 10 characters"`
		Roles       []access.Role `json:"roles,omitempty" enum:"admin,samordnare,verksamhetsutvecklare,ledning,enhet,kommun,revisor"`
		Locale      string        `json:"locale,omitempty" enum:"sv,en" default:"sv"`
	}
}

// UserOutput is one account.
type UserOutput struct {
	Body User
}

// RegisterAPI adds the account operations to the API.
func RegisterAPI(a *api.API, svc *Service) {
	api.Register(a, huma.Operation{OperationID: "get-me", Method: http.MethodGet, Path: "/me", Summary: "The signed-in user", Tags: []string{"Account"}},
		access.SignedIn, func(ctx context.Context, _ *struct{}) (*MeOutput, error) {
			u, err := svc.User(ctx, access.From(ctx).UserID)
			if err != nil {
				return nil, err
			}
			return &MeOutput{Body: u}, nil
		})
	api.Register(a, huma.Operation{OperationID: "list-my-tokens", Method: http.MethodGet, Path: "/me/tokens", Summary: "List my API tokens", Tags: []string{"Account"}},
		access.SignedIn, func(ctx context.Context, _ *struct{}) (*TokenListOutput, error) {
			tokens, err := svc.Tokens(ctx, access.From(ctx).UserID)
			if err != nil {
				return nil, err
			}
			out := &TokenListOutput{}
			out.Body.Items = append([]Token{}, tokens...)
			return out, nil
		})
	api.Register(a, huma.Operation{OperationID: "create-my-token", Method: http.MethodPost, Path: "/me/tokens", Summary: "Create an API token", Tags: []string{"Account"}, DefaultStatus: http.StatusCreated},
		access.SignedIn, func(ctx context.Context, in *TokenCreateInput) (*TokenCreateOutput, error) {
			secret, t, err := svc.CreateToken(ctx, access.From(ctx).UserID, NewToken{Name: in.Body.Name, ExpiresAt: in.Body.ExpiresAt})
			if err != nil {
				return nil, err
			}
			out := &TokenCreateOutput{}
			out.Body.Token, out.Body.Secret = t, secret
			return out, nil
		})
	api.Register(a, huma.Operation{OperationID: "delete-my-token", Method: http.MethodDelete, Path: "/me/tokens/{id}", Summary: "Revoke an API token", Tags: []string{"Account"}, DefaultStatus: http.StatusNoContent},
		access.SignedIn, func(ctx context.Context, in *TokenIDInput) (*struct{}, error) {
			return nil, svc.DeleteToken(ctx, access.From(ctx).UserID, in.ID)
		})
	api.Register(a, huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/users", Summary: "List user accounts", Tags: []string{"Users"}},
		access.AdminOnly, func(ctx context.Context, _ *struct{}) (*UserListOutput, error) {
			users, err := svc.Users(ctx)
			if err != nil {
				return nil, err
			}
			out := &UserListOutput{}
			out.Body.Items = append([]User{}, users...)
			return out, nil
		})
	api.Register(a, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/users", Summary: "Create a user account", Tags: []string{"Users"}, DefaultStatus: http.StatusCreated},
		access.AdminOnly, func(ctx context.Context, in *UserCreateInput) (*UserOutput, error) {
			u, err := svc.CreateUser(ctx, NewUser{Username: in.Body.Username, DisplayName: in.Body.DisplayName, Email: in.Body.Email,
				Password: in.Body.Password, Roles: in.Body.Roles, Locale: in.Body.Locale})
			if err != nil {
				return nil, err
			}
			return &UserOutput{Body: u}, nil
		})
}
