export interface Clock {
  now(): Date;
}

export interface Ids {
  next(): string;
}
