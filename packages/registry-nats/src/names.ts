// The error id go-micro's registry errors carry.
export const ERROR_ID = "go.micro.registry";
