export * from './job';
export * from './ml-pipeline';
