/*
 * schemavalid — whether a document a codec wrote is valid against one of
 * the official XML schemas under tests/fixtures/schemas, checked offline:
 * the fixtures' catalog maps the schemas' imports of the W3C xml.xsd to
 * the local copy.  For the unit tests (cmocka's asserts: include it after
 * cmocka.h).
 */
#ifndef LIAISON_TEST_SCHEMAVALID_H
#define LIAISON_TEST_SCHEMAVALID_H

#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "fixtures.h"

/* 0 when the n bytes of xml are valid against tests/fixtures/SCHEMA. */
static inline int schema_valid(const char *xml, size_t n, const char *schema)
{
	static int catalog_loaded;
	char path[PATH_MAX];
	if (!catalog_loaded) {
		assert_int_equal(xmlLoadCatalog(fixture_path("schemas/catalog.xml", path)), 0);
		catalog_loaded = 1;
	}
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(fixture_path(schema, path));
	xmlSchemaPtr s = xmlSchemaParse(pc);
	assert_non_null(s);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(s);
	xmlDocPtr doc = xmlReadMemory(xml, (int)n, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	int rc = xmlSchemaValidateDoc(vc, doc);
	xmlFreeDoc(doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(s);
	xmlSchemaFreeParserCtxt(pc);
	return rc;
}

#endif
