// The decision API's request schemas are the application layer's (app/decisions/schemas.ts); they
// are re-exported here for the OpenAPI document and the routers.
export * from '../../app/decisions/schemas';
