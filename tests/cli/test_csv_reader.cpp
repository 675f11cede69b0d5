// Tests of the CSV reader: RFC 4180 quoting, line ends, BOM, gzip, and every refusal.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <string>
#include <vector>

#include "cli_errors.h"
#include "csv_reader.h"
#include "rddist/error.h"
#include "temp_file.h"

using rddist::cli::CsvReader;

namespace {

struct Parsed {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> lines;
};

Parsed parse(const std::string& content) {
  TempFile f(content);
  CsvReader csv(f.path());
  Parsed p;
  p.header = csv.header();
  while (csv.next()) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < csv.size(); ++i) row.emplace_back(csv.field(i));
    p.rows.push_back(row);
    p.lines.push_back(csv.line());
  }
  return p;
}

void refuses(const std::string& content, const std::string& fragment) {
  INFO("expected a data_error containing: " << fragment);
  CHECK_THROWS_WITH(parse(content), Catch::Contains(fragment));
  CHECK_THROWS_AS(parse(content), rddist::data_error);
}

}  // namespace

TEST_CASE("quoted fields keep commas, doubled quotes and line breaks", "[csv]") {
  const Parsed p = parse("id,text,v\n\"a,b\",\"say \"\"hi\"\"\",1\n\"multi\nline\",\"\",2\nplain,x,3\n");
  REQUIRE(p.rows.size() == 3);
  CHECK(p.rows[0][0] == "a,b");
  CHECK(p.rows[0][1] == "say \"hi\"");
  CHECK(p.rows[1][0] == "multi\nline");
  CHECK(p.rows[1][1].empty());
  // A record's line is where it starts; the quoted line break moves later records down.
  CHECK(p.lines == std::vector<std::uint64_t>{2, 3, 5});
}

TEST_CASE("CRLF, lone CR, a missing final newline and blank lines are all accepted", "[csv]") {
  const Parsed crlf = parse("a,b\r\n1,2\r\n\r\n3,4");
  REQUIRE(crlf.rows.size() == 2);
  CHECK(crlf.rows[1] == std::vector<std::string>{"3", "4"});
  CHECK(crlf.lines == std::vector<std::uint64_t>{2, 4});
  const Parsed cr = parse("a,b\r1,2\r3,4\r");
  REQUIRE(cr.rows.size() == 2);
  CHECK(cr.rows[0] == std::vector<std::string>{"1", "2"});
}

TEST_CASE("a UTF-8 byte-order mark and spaces around header names are dropped", "[csv]") {
  const Parsed p = parse("\xEF\xBB\xBFunit, x ,y\nu1,0.5,1\n");
  CHECK(p.header == std::vector<std::string>{"unit", "x", "y"});
}

TEST_CASE("records spanning the 1 MiB read buffer are joined correctly", "[csv]") {
  std::string content = "k,v\r\n";
  std::size_t expected = 0;
  while (content.size() < (std::size_t{3} << 20)) {
    content += "\"key," + std::to_string(expected) + "\",\"" + std::string(37, 'v') + "\"\r\n";
    ++expected;
  }
  const Parsed p = parse(content);
  REQUIRE(p.rows.size() == expected);
  CHECK(p.rows.back()[0] == "key," + std::to_string(expected - 1));
  CHECK(p.lines.back() == expected + 1);
}

TEST_CASE("gzip input is recognised by its content, not its name", "[csv]") {
  TempFile f("");
  gzFile gz = gzopen(f.path().c_str(), "wb");
  REQUIRE(gz != nullptr);
  const std::string text = "unit,x,y\nu1,0.5,1.25\n";
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  CsvReader csv(f.path());  // no .gz suffix
  REQUIRE(csv.next());
  CHECK(csv.field(2) == "1.25");
  CHECK(csv.compressed());
  CHECK_FALSE(csv.next());
}

TEST_CASE("malformed files are refused with the line and the reason", "[csv][errors]") {
  refuses("", "the file is empty (0 bytes)");
  refuses("\n\n", "the file is empty");
  refuses("a,b\n1,\"open\n2,3\n", ":2: a quoted field starts here but its closing quote is missing");
  refuses("a,b\n1,x\"y\n", ":2: a quote (\") inside an unquoted field 2");
  refuses("a,b\n1,\"x\"y\n", ":2: text after the closing quote of field 2");
  refuses("a,b\n1,2\n3\n", ":3: this row has 1 field but the header has 2 columns");
  refuses("a,b\n1,2,3\n", ":2: this row has 3 fields");
  refuses(std::string("a,b\n1,2\0\n", 9), ":2: byte 0x00 (NUL): the input contains binary data");
  refuses("a,b\n\x01\x02garbage\n", ":2: byte 0x01: the input contains binary data");
  // Beyond the first block, the parser itself finds binary bytes and names the field.
  refuses("a,b\n" + std::string(std::size_t{1} << 21, '\n') + "1,\x7f\n", "byte 0x7F in field 2");
  refuses("a,,c\n1,2,3\n", ":1: column 2 of the header has no name");
  refuses("a,b,a\n1,2,3\n", "names column 'a' twice (columns 1 and 3)");
}

TEST_CASE("a missing column is reported with the option and the columns present", "[csv][errors]") {
  TempFile f("unit,x,y\nu1,1,2\n");
  CsvReader csv(f.path());
  CHECK(csv.column("y", "--y") == 2);
  CHECK_THROWS_WITH(csv.column("income", "--y"),
                    Catch::Contains("no column named 'income' (given by --y); the header has: unit, x, y"));
}

TEST_CASE("a file that does not exist is an input/output error, not a data error", "[csv][errors]") {
  CHECK_THROWS_AS(CsvReader("/nonexistent/rddist/file.csv"), rddist::cli::IoError);
}

TEST_CASE("the field separator is detected from the header, or given", "[csv][delim]") {
  const Parsed tab = parse("unit\tx\ty\n1\t0.5\t2\n");
  CHECK(tab.header == std::vector<std::string>{"unit", "x", "y"});
  CHECK(tab.rows[0] == std::vector<std::string>{"1", "0.5", "2"});
  const Parsed semi = parse("unit;x;y\n1;0,5;2\n");  // decimal commas stay in the field
  CHECK(semi.header == std::vector<std::string>{"unit", "x", "y"});
  CHECK(semi.rows[0][1] == "0,5");
  const Parsed quoted = parse("\"a;b\",c\n1,2\n");  // the ';' is inside quotes
  CHECK(quoted.header == std::vector<std::string>{"a;b", "c"});
  const Parsed single = parse("y\n1\n2\n");
  CHECK(single.header.size() == 1);
  refuses("unit,x;y\n1,2;3\n", "--delim");
  {
    TempFile f("a|b\n1|2\n");
    CsvReader pipe(f.path(), '|');
    CHECK(pipe.header() == std::vector<std::string>{"a", "b"});
    CHECK(pipe.delimiter() == '|');
  }
  {
    TempFile f("unit,x;y\n1,2;3\n");
    CsvReader given(f.path(), ';');  // an explicit separator settles the ambiguity
    CHECK(given.header() == std::vector<std::string>{"unit,x", "y"});
  }
}
