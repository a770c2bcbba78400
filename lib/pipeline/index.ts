export * from './ml-pipeline';
