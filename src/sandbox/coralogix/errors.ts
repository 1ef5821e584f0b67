/**
 * grpc-gateway style errors of the Coralogix emulator: the body is `rpcStatus`
 * (`code` = gRPC status number), except the route-level 404/405 which use the
 * facade form `{"code": <HTTP status>, "message": "Not Found: Not Found"}`.
 */
import { GRPC_CODE, type CoralogixErrorBody } from '../../upstreams/coralogix/types.js';
import type { EmulatorResponse } from '../http.js';

export class RpcError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string): RpcError =>
  new RpcError(400, GRPC_CODE.INVALID_ARGUMENT, message);

export const notFound = (message: string): RpcError =>
  new RpcError(404, GRPC_CODE.NOT_FOUND, message);

export const unauthenticated = (message: string): RpcError =>
  new RpcError(401, GRPC_CODE.UNAUTHENTICATED, message);

export function errorResponse(error: RpcError): EmulatorResponse {
  const body: CoralogixErrorBody = { code: error.code, message: error.message };
  return { status: error.httpStatus, body };
}

export function routeNotFound(): EmulatorResponse {
  return { status: 404, body: { code: 404, message: 'Not Found: Not Found' } };
}

export function methodNotAllowed(allowed: string): EmulatorResponse {
  return {
    status: 405,
    body: { code: 405, message: 'Method Not Allowed: Method Not Allowed' },
    headers: { allow: allowed },
  };
}
