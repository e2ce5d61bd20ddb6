// The error id go-micro's broker errors carry.
export const ERROR_ID = "go.micro.broker";
