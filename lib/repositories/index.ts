// Repositories: adding them, their imports as jobs, and what is shown of both (one module per part).
export { SYSTEM_VIEWER, localRootsFromEnv, type RepositoryPolicy } from "./policy";
export * from "./views";
export * from "./sources";
export * from "./import-jobs";
