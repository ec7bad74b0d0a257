package demo

func (s *seeder) recognition() error { return nil }
