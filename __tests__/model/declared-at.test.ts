// model/declared-at.ts on its own: a place recorded per object, asked lazily, never shared.
import { declaredAt, recordDeclaredAt } from '../../model/declared-at';

describe('declaredAt', () => {
  test('an entry nobody recorded has no place', () => {
    expect(declaredAt({})).toBeUndefined();
  });

  test('a recorded place is returned for that object only, not for an equal one', () => {
    const entry = { email: 'a@example.com' };
    recordDeclaredAt(entry, 'access.yaml:12:5');
    expect(declaredAt(entry)).toBe('access.yaml:12:5');
    expect(declaredAt({ email: 'a@example.com' })).toBeUndefined();
  });

  test('a function is asked only when the place is wanted, and each time', () => {
    const entry = {};
    const place = jest.fn(() => 'access.yaml:3:1');
    recordDeclaredAt(entry, place);
    expect(place).not.toHaveBeenCalled();
    expect(declaredAt(entry)).toBe('access.yaml:3:1');
    expect(declaredAt(entry)).toBe('access.yaml:3:1');
    expect(place).toHaveBeenCalledTimes(2);
  });

  test('recording again replaces the place', () => {
    const entry = {};
    recordDeclaredAt(entry, 'a.yaml:1:1');
    recordDeclaredAt(entry, 'b.yaml:2:2');
    expect(declaredAt(entry)).toBe('b.yaml:2:2');
  });
});
