// The models module's runtime surface (main process and workers; node only). The graph builder,
// the draft graphs and writeDraftModel (onnxGraph, draftGraphs, draftModel) use onnx-proto, a dev
// dependency: import them directly from scripts and tests, never from shipped code.
export * from './contract';
export * from './manifest';
export * from './float16';
export * from './hashing';
export * from './providers';
export * from './ortErrors';
export * from './modelFolder';
export * from './tensors';
export * from './svdPipeline';
export * from './download';
export * from './doctor';
