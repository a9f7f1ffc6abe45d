import { z } from 'zod';

import { component, SchemaComponents } from './schema-components';

describe(SchemaComponents.name, () => {
  const Colour = component('SpecColour', z.enum(['red', 'green']));
  const Paint = component('SpecPaint', z.object({ colour: Colour, coats: z.number().int().default(2) }));

  it('should render a named schema once when its request and response shapes are equal', () => {
    const sut = new SchemaComponents();
    const request = z.object({ colour: Colour });

    const inputRef = sut.input(request, 'PickBody');
    const outputRef = sut.output(Colour, 'PickResponse');
    const { schemas, finalRef } = sut.render();

    expect(outputRef).toEqual({ $ref: '#/components/schemas/SpecColour' });
    expect(finalRef(inputRef.$ref)).toBe('#/components/schemas/PickBody');
    expect(Object.keys(schemas).sort()).toEqual(['PickBody', 'SpecColour']);
    expect(schemas.PickBody).toMatchObject({
      properties: { colour: { $ref: '#/components/schemas/SpecColour' } },
    });
  });

  it('should render <id>Input beside <id> when defaults make the request shape differ', () => {
    const sut = new SchemaComponents();

    const inputRef = sut.input(Paint, 'PaintBody');
    sut.output(Paint, 'PaintResponse');
    const { schemas, finalRef } = sut.render();

    expect(finalRef(inputRef.$ref)).toBe('#/components/schemas/SpecPaintInput');
    expect(schemas.SpecPaint).toMatchObject({ required: ['colour', 'coats'] });
    expect(schemas.SpecPaintInput).toMatchObject({ required: ['colour'] });
    expect(JSON.stringify(schemas)).not.toContain('~input');
  });

  it('should give a schema shared by two routes the first id and leave unused components out', () => {
    const sut = new SchemaComponents();
    const shared = z.object({ note: z.string() });

    const first = sut.output(shared, 'FirstResponse');
    const second = sut.output(shared, 'SecondResponse');
    const { schemas } = sut.render();

    expect(second).toEqual(first);
    expect(Object.keys(schemas)).toEqual(['FirstResponse']);
  });

  it('should refuse a component name given to two different schemas', () => {
    expect(() => component('SpecColour', z.string())).toThrow('OpenAPI component SpecColour is named twice');
  });
});
