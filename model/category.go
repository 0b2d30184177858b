package model

import "strings"

// Category is what a badge says a person is at the event: the band a door
// steward reads at a glance, apart from the role (which kind of
// organization they come from).
type Category string

const (
	CategoryGuest    Category = "guest"    // 嘉宾: speakers, officials, invited guests
	CategoryDelegate Category = "delegate" // 代表: registered participants
	CategoryMedia    Category = "media"    // 媒体
	CategoryStaff    Category = "staff"    // 工作人员
)

// Categories lists the categories in the order the screens offer them.
var Categories = []Category{CategoryGuest, CategoryDelegate, CategoryMedia, CategoryStaff}

// CategoryLabel is the word printed in the badge's band.
var CategoryLabel = map[Category]string{
	CategoryGuest: "嘉宾", CategoryDelegate: "代表", CategoryMedia: "媒体", CategoryStaff: "工作人员",
}

var categoryWords = map[string]Category{
	"嘉宾": CategoryGuest, "特邀嘉宾": CategoryGuest, "贵宾": CategoryGuest, "领导": CategoryGuest, "guest": CategoryGuest, "vip": CategoryGuest,
	"代表": CategoryDelegate, "参会代表": CategoryDelegate, "参会人员": CategoryDelegate, "delegate": CategoryDelegate, "participant": CategoryDelegate,
	"媒体": CategoryMedia, "记者": CategoryMedia, "media": CategoryMedia, "press": CategoryMedia,
	"工作人员": CategoryStaff, "会务": CategoryStaff, "志愿者": CategoryStaff, "staff": CategoryStaff,
}

// ParseCategory understands the Chinese and English words for a category.
func ParseCategory(s string) (Category, bool) {
	c, ok := categoryWords[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		for _, k := range Categories {
			if string(k) == strings.TrimSpace(s) {
				return k, true
			}
		}
	}
	return c, ok
}

// BadgeCategory is the category on the person's badge: the one set, or
// else one that follows from the role (the press are 媒体, government
// officials 嘉宾, everyone else 代表).
func (p *Participant) BadgeCategory() Category {
	if _, ok := CategoryLabel[p.Category]; ok {
		return p.Category
	}
	switch p.Role {
	case RoleMedia:
		return CategoryMedia
	case RoleGovernment:
		return CategoryGuest
	}
	return CategoryDelegate
}
