// Endpoint suggestions come from a requirement's action verb and its object, never from a
// stray word (issue 11 #4): "kept up to 30 days" is not POST /days.
import { describe, expect, it } from 'vitest';
import { needsIdempotency, readAction, suggestEndpoint } from '../src/core/derive/action.js';

describe('suggestEndpoint', () => {
  it.each([
    ['Users can send a text message to another user', 'POST /messages'],
    ['1. Guests can search listings by location and dates', 'GET /listings'],
    ['- Guests can view a listing with photos', 'GET /listings'],
    ['Hosts can create and edit listings', 'POST /listings'],
    ['Users can delete their account', 'DELETE /accounts'],
    ['Users can upload a file hash', 'POST /hashes'],
    ['Fans can buy tickets for an event', 'POST /tickets'],
    ['Users can follow other users.', 'POST /users/{id}/follows'],
    ['Users can like and comment on a photo.', 'POST /photos/{id}/comments'],
    ['Users can reply to a story', 'POST /stories/{id}/replies'],
    ['Users can upload a photo with a caption.', 'POST /photos'],
  ])('%s → %s', (requirement, endpoint) => {
    expect(suggestEndpoint(requirement)).toEqual({ endpoint });
  });

  it.each([
    'Messages to an offline user are kept up to 30 days',
    'Typing indicators are best effort',
    'Messages arrive in the same order they were sent',
    'Users can chat in groups of up to 1,024 members',
    'Users can see whether a contact is online',
    'Users see sent, delivered and read receipts',
    'High availability',
    'Photos are kept forever; the feed is best effort for very large accounts, in the same order for everyone.',
  ])('asks instead of inventing a path for "%s"', (requirement) => {
    expect(suggestEndpoint(requirement)).toEqual({ question: expect.stringMatching(/which call serves it/) });
  });

  it('pluralises with a dictionary, not by adding s', () => {
    expect(suggestEndpoint('Users can post a reply')).toEqual({ endpoint: 'POST /replies' });
    expect(suggestEndpoint('Users can add a person')).toEqual({ endpoint: 'POST /people' });
    expect(readAction('Users can follow other people')).toEqual({ verb: 'follow', object: 'person' });
    expect(suggestEndpoint('Users can follow other people')).toEqual({ endpoint: 'POST /people/{id}/follows' });
  });
});

describe('needsIdempotency', () => {
  it('fires on moving money or claiming something scarce, not on the word "order" in passing', () => {
    expect(needsIdempotency('Guests can book a stay and pay')).toBe(true);
    expect(needsIdempotency('Customers can place an order')).toBe(true);
    expect(needsIdempotency('Fans can reserve seats')).toBe(true);
    expect(needsIdempotency('Messages arrive in the same order they were sent')).toBe(false);
    expect(needsIdempotency('Users can send a message')).toBe(false);
  });
});
