/** Errors a use case may raise; the one HTTP error mapper (shared/http/problem.ts) turns them into RFC 9457. */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = 'The request is not valid.') {
    super(400, 'Bad Request', detail, errors);
  }
  static field(path: string, message: string): ValidationError {
    return new ValidationError([{ path, message }], `${path}: ${message}`);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'A valid bearer token is required.') {
    super(401, 'Unauthorized', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'Your role is not allowed to do this.') {
    super(403, 'Forbidden', detail);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'Not Found', `${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, errors?: FieldError[]) {
    super(409, 'Conflict', detail, errors);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(current: number) {
    super(412, 'Precondition Failed', `The resource has changed; its current version is ${current}.`);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super(413, 'Content Too Large', `The body must not exceed ${limit} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super(415, 'Unsupported Media Type', 'The body must be sent with Content-Type: application/json.');
  }
}

export class UnprocessableError extends AppError {
  constructor(detail: string) {
    super(422, 'Unprocessable Content', detail);
  }
}
