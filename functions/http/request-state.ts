import type { HttpEvent, RequestState } from './types';

/** What the middlewares have worked out about a request, kept beside the event rather than written into it. */
const states = new WeakMap<HttpEvent, RequestState>();

export const setRequestState = (event: HttpEvent, state: RequestState): void => {
  states.set(event, state);
};

export const requestState = (event: HttpEvent): RequestState => {
  const state = states.get(event);
  if (!state) throw new Error('The route middleware did not run for this event.');
  return state;
};
