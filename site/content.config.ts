import { glob } from 'astro/loaders';
import { defineCollection } from 'astro:content';
import { collectionSchemas, type CollectionName } from './lib/content-schemas';

function mdxCollection<Name extends CollectionName>(name: Name) {
  return defineCollection({
    loader: glob({ pattern: '*.mdx', base: `./content/${name}` }),
    schema: collectionSchemas[name],
  });
}

export const collections = {
  faqs: mdxCollection('faqs'),
  webinars: mdxCollection('webinars'),
  'white-papers': mdxCollection('white-papers'),
  newsletters: mdxCollection('newsletters'),
  tools: mdxCollection('tools'),
  events: mdxCollection('events'),
};
