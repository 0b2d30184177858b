package msg

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

var testKind = Define("test.mobile", "手机号“{value}”无效，应为 {n} 位")

func TestSayFillsTheChineseAndKeepsTheParameters(t *testing.T) {
	got := testKind.Say("value", "1931", "n", 11)
	if got.Text != "手机号“1931”无效，应为 11 位" || got.Code != "test.mobile" || got.Params["n"] != 11 {
		t.Fatalf("Say = %+v", got)
	}
	if s := testKind.Say("value", "x").Text; s != "手机号“x”无效，应为 {n} 位" {
		t.Fatalf("a missing parameter must show, got %q", s)
	}
}

func TestErrorsCarryTheirSentenceThroughWrapping(t *testing.T) {
	cause := errors.New("disk full")
	err := fmt.Errorf("导入失败：%w", testKind.Wrap(cause, "value", "1", "n", 11))
	if !testKind.Is(err) || !errors.Is(err, cause) {
		t.Fatal("the code and the cause must be found through the wrapping")
	}
	said := Of(err)
	if said.Code != "test.mobile" || said.Text != "导入失败：手机号“1”无效，应为 11 位" {
		t.Fatalf("Of = %+v", said)
	}
	if plain := Of(errors.New("plain")); plain.Code != "" || plain.Text != "plain" {
		t.Fatalf("Of(plain) = %+v", plain)
	}
}

func TestPlaceholders(t *testing.T) {
	if got := Placeholders("{b} 与 {a}，共 {n} 场"); !reflect.DeepEqual(got, []string{"a", "b", "n"}) {
		t.Fatalf("Placeholders = %v", got)
	}
}

func TestDefiningACodeTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a second Define of one code must panic")
		}
	}()
	Define("test.mobile", "again")
}

var testFailed = Define("test.saveFailed", "保存失败：{cause}")

func TestACauseTravelsAsASentenceOfItsOwn(t *testing.T) {
	err := testFailed.Wrap(testKind.Err("value", "1", "n", 11))
	got := Of(err)
	cause, ok := got.Params["cause"].(Text)
	if got.Text != "保存失败：手机号“1”无效，应为 11 位" || !ok || cause.Code != "test.mobile" {
		t.Fatalf("Of = %+v", got)
	}
	if plain := Of(testFailed.Wrap(errors.New("disk full"))); plain.Text != "保存失败：disk full" {
		t.Fatalf("a plain cause: %+v", plain)
	}
}
